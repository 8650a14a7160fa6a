column api_tokens | id | bigint | NO |  | 
column api_tokens | user_id | bigint | NO |  | 
column api_tokens | name | text | NO |  | 
column api_tokens | token_hash | text | NO |  | 
column api_tokens | prefix | text | NO |  | 
column api_tokens | created_at | bigint | NO |  | 
column api_tokens | last_used_at | bigint | YES |  | 
column api_tokens | revoked_at | bigint | YES |  | 
column audit_checkpoints | seq | bigint | NO |  | 
column audit_checkpoints | hash | text | NO |  | 
column audit_checkpoints | verified_at | bigint | NO |  | 
column audit_checkpoints | mac | text | NO |  | 
column audit_head | id | integer | NO |  | 
column audit_head | seq | bigint | NO |  | 
column audit_head | hash | text | NO |  | 
column audit_head | keyed_from | bigint | NO | 1 | 
column audit_head | mac | text | YES |  | 
column audit_log | seq | bigint | NO |  | 
column audit_log | at | bigint | NO |  | 
column audit_log | actor_user_id | bigint | YES |  | 
column audit_log | actor_name | text | NO |  | 
column audit_log | role | text | YES |  | 
column audit_log | node_id | bigint | YES |  | 
column audit_log | community_id | bigint | YES |  | 
column audit_log | action | text | NO |  | 
column audit_log | object_type | text | NO |  | 
column audit_log | object_id | text | NO |  | 
column audit_log | result | text | NO |  | 
column audit_log | before_state | text | YES |  | 
column audit_log | after_state | text | YES |  | 
column audit_log | prev_hash | text | NO |  | 
column audit_log | hash | text | NO |  | 
column bodies | id | bigint | NO |  | 
column bodies | community_id | bigint | NO |  | 
column bodies | kind | text | NO |  | 
column bodies | name | text | NO |  | 
column bodies | created_at | bigint | NO |  | 
column bodies | position | integer | NO | 0 | 
column bodies | closed_at | bigint | YES |  | 
column bodies | version | integer | NO | 0 | 
column calendar_days | day | text | NO |  | 
column calendar_days | is_workday | integer | NO |  | 
column calendar_days | note | text | NO | ''::text | 
column care_groups | id | bigint | NO |  | 
column care_groups | community_id | bigint | NO |  | 
column care_groups | name | text | NO |  | 
column care_groups | tag | text | YES |  | 
column care_groups | frequency_days | integer | NO |  | 
column care_groups | version | integer | NO | 1 | 
column care_groups | created_at | bigint | NO |  | 
column care_groups | updated_at | bigint | NO |  | 
column care_members | group_id | bigint | NO |  | 
column care_members | person_id | bigint | NO |  | 
column care_members | community_id | bigint | NO |  | 
column care_members | visitor_user_id | bigint | YES |  | 
column care_members | added_on | text | NO |  | 
column care_members | last_visited_on | text | YES |  | 
column care_members | next_due_on | text | NO |  | 
column care_visits | id | bigint | NO |  | 
column care_visits | community_id | bigint | NO |  | 
column care_visits | person_id | bigint | NO |  | 
column care_visits | visitor_user_id | bigint | YES |  | 
column care_visits | visited_on | text | NO |  | 
column care_visits | method | text | NO |  | 
column care_visits | findings_sealed | text | NO |  | 
column care_visits | follow_up | integer | NO | 0 | 
column care_visits | case_id | bigint | YES |  | 
column care_visits | created_at | bigint | NO |  | 
column case_attributes | case_id | bigint | NO |  | 
column case_attributes | community_id | bigint | NO |  | 
column case_attributes | code | text | NO |  | 
column case_attributes | value | text | NO |  | 
column case_callers | case_id | bigint | NO |  | 
column case_callers | community_id | bigint | NO |  | 
column case_callers | name_sealed | text | NO |  | 
column case_callers | phone_sealed | text | NO |  | 
column case_callers | phone_index | text | NO |  | 
column case_callers | recorded_by | bigint | YES |  | 
column case_callers | created_at | bigint | NO |  | 
column case_categories | id | bigint | NO |  | 
column case_categories | node_id | bigint | NO |  | 
column case_categories | parent_id | bigint | YES |  | 
column case_categories | name | text | NO |  | 
column case_categories | position | integer | NO | 0 | 
column case_categories | closed_at | bigint | YES |  | 
column case_categories | service_type | text | NO | 'realtime'::text | 
column case_categories | attributes | text | NO | '[]'::text | 
column case_categories | public_by_default | integer | NO | 1 | 
column case_counts | community_id | bigint | NO |  | 
column case_counts | grid_id | bigint | NO |  | 
column case_counts | status | text | NO |  | 
column case_counts | n | bigint | NO |  | 
column case_events | id | bigint | NO |  | 
column case_events | case_id | bigint | NO |  | 
column case_events | community_id | bigint | NO |  | 
column case_events | at | bigint | NO |  | 
column case_events | actor_user_id | bigint | YES |  | 
column case_events | action | text | NO |  | 
column case_events | from_status | text | YES |  | 
column case_events | to_status | text | NO |  | 
column case_events | note | text | NO | ''::text | 
column case_extension_requests | id | bigint | NO |  | 
column case_extension_requests | case_id | bigint | NO |  | 
column case_extension_requests | community_id | bigint | NO |  | 
column case_extension_requests | requested_by | bigint | YES |  | 
column case_extension_requests | requested_at | bigint | NO |  | 
column case_extension_requests | until | bigint | NO |  | 
column case_extension_requests | reason | text | NO |  | 
column case_extension_requests | decided_by | bigint | YES |  | 
column case_extension_requests | decided_at | bigint | YES |  | 
column case_extension_requests | approved | integer | YES |  | 
column case_extension_requests | note | text | NO | ''::text | 
column case_followers | case_id | bigint | NO |  | 
column case_followers | community_id | bigint | NO |  | 
column case_followers | user_id | bigint | NO |  | 
column case_followers | supporter | integer | NO | 0 | 
column case_followers | following | integer | NO | 1 | 
column case_followers | created_at | bigint | NO |  | 
column case_grid_steps | id | bigint | NO |  | 
column case_grid_steps | case_id | bigint | NO |  | 
column case_grid_steps | community_id | bigint | NO |  | 
column case_grid_steps | step | text | NO |  | 
column case_grid_steps | at | bigint | NO |  | 
column case_grid_steps | by_user_id | bigint | YES |  | 
column case_grid_steps | note | text | NO | ''::text | 
column case_measure_rollups | community_id | bigint | NO |  | 
column case_measure_rollups | dimension | text | NO |  | 
column case_measure_rollups | member_id | bigint | NO |  | 
column case_measure_rollups | span | integer | NO |  | 
column case_measure_rollups | bucket | bigint | NO |  | 
column case_measure_rollups | total | bigint | NO |  | 
column case_measure_rollups | dispatched | bigint | NO |  | 
column case_measure_rollups | responded_in_time | bigint | NO |  | 
column case_measure_rollups | filed | bigint | NO |  | 
column case_measure_rollups | closed | bigint | NO |  | 
column case_measure_rollups | rated | bigint | NO |  | 
column case_measure_rollups | satisfied | bigint | NO |  | 
column case_measure_rollups | closed_with_deadline | bigint | NO |  | 
column case_measure_rollups | closed_in_time | bigint | NO |  | 
column case_measure_rollups | closed_timed | bigint | NO |  | 
column case_measure_rollups | closed_millis | bigint | NO |  | 
column case_photos | id | bigint | NO |  | 
column case_photos | case_id | bigint | NO |  | 
column case_photos | community_id | bigint | NO |  | 
column case_photos | content_type | text | NO |  | 
column case_photos | bytes | bytea | NO |  | 
column case_photos | size | integer | NO |  | 
column case_photos | uploaded_by | bigint | YES |  | 
column case_photos | created_at | bigint | NO |  | 
column case_reminders | case_id | bigint | NO |  | 
column case_reminders | community_id | bigint | NO |  | 
column case_reminders | kind | text | NO |  | 
column case_reminders | at | bigint | NO |  | 
column cases | id | bigint | NO |  | 
column cases | number | text | NO |  | 
column cases | kind | text | NO |  | 
column cases | channel | text | NO |  | 
column cases | status | text | NO |  | 
column cases | title | text | NO |  | 
column cases | description | text | NO |  | 
column cases | category_id | bigint | YES |  | 
column cases | community_id | bigint | NO |  | 
column cases | node_id | bigint | NO |  | 
column cases | node_path | text | NO |  | C
column cases | reporter_user_id | bigint | YES |  | 
column cases | is_public | integer | NO | 0 | 
column cases | unit_id | bigint | YES |  | 
column cases | created_at | bigint | NO |  | 
column cases | respond_by | bigint | YES |  | 
column cases | resolve_by | bigint | YES |  | 
column cases | responded_at | bigint | YES |  | 
column cases | closed_at | bigint | YES |  | 
column cases | rating | text | YES |  | 
column cases | rating_comment | text | YES |  | 
column cases | reopen_count | integer | NO | 0 | 
column cases | updated_at | bigint | NO |  | 
column cases | version | integer | NO | 1 | 
column cases | escalation_level | integer | NO | 0 | 
column cases | escalated_at | bigint | YES |  | 
column cases | grid_id | bigint | YES |  | 
column cases | latitude | double precision | YES |  | 
column cases | longitude | double precision | YES |  | 
column cases | dispute_grade | text | YES |  | 
column cases | merged_into_id | bigint | YES |  | 
column cases | facility_id | bigint | YES |  | 
column convention_versions | convention_id | bigint | NO |  | 
column convention_versions | community_id | bigint | NO |  | 
column convention_versions | number | integer | NO |  | 
column convention_versions | text | text | NO |  | 
column convention_versions | resolution_id | bigint | YES |  | 
column convention_versions | effective_on | text | NO |  | 
column convention_versions | created_by | bigint | YES |  | 
column convention_versions | created_at | bigint | NO |  | 
column convention_versions | filed_at | bigint | YES |  | 
column convention_versions | filed_by | bigint | YES |  | 
column convention_versions | acknowledged_at | bigint | YES |  | 
column convention_versions | acknowledged_by | bigint | YES |  | 
column conventions | id | bigint | NO |  | 
column conventions | community_id | bigint | NO |  | 
column conventions | estate_id | bigint | YES |  | 
column conventions | kind | text | NO |  | 
column conventions | title | text | NO |  | 
column conventions | created_by | bigint | YES |  | 
column conventions | created_at | bigint | NO |  | 
column conventions | updated_at | bigint | NO |  | 
column conventions | version | integer | NO | 1 | 
column duty_items | id | bigint | NO |  | 
column duty_items | body_id | bigint | NO |  | 
column duty_items | community_id | bigint | NO |  | 
column duty_items | parent_id | bigint | YES |  | 
column duty_items | title | text | NO |  | 
column duty_items | position | integer | NO |  | 
column duty_items | closed_at | bigint | YES |  | 
column estates | id | bigint | NO |  | 
column estates | community_id | bigint | NO |  | 
column estates | name | text | NO |  | 
column estates | created_at | bigint | NO |  | 
column idempotency_entries | scope | text | NO |  | 
column idempotency_entries | user_id | bigint | NO |  | 
column idempotency_entries | key | text | NO |  | 
column idempotency_entries | fingerprint | text | NO |  | 
column idempotency_entries | result | text | NO |  | 
column idempotency_entries | created_at | bigint | NO |  | 
column login_failures | id | bigint | NO |  | 
column login_failures | address | text | NO |  | 
column login_failures | username | text | NO |  | 
column login_failures | at | bigint | NO |  | 
column mediation_sessions | id | bigint | NO |  | 
column mediation_sessions | case_id | bigint | NO |  | 
column mediation_sessions | community_id | bigint | NO |  | 
column mediation_sessions | at | bigint | NO |  | 
column mediation_sessions | method | text | NO |  | 
column mediation_sessions | mediator | text | NO |  | 
column mediation_sessions | parties | text | NO |  | 
column mediation_sessions | summary | text | NO |  | 
column mediation_sessions | agreement | text | NO | ''::text | 
column mediation_sessions | outcome | text | NO |  | 
column mediation_sessions | recorded_by | bigint | YES |  | 
column meeting_attachments | id | bigint | NO |  | 
column meeting_attachments | meeting_id | bigint | NO |  | 
column meeting_attachments | community_id | bigint | NO |  | 
column meeting_attachments | name | text | NO |  | 
column meeting_attachments | content_type | text | NO |  | 
column meeting_attachments | size | integer | NO |  | 
column meeting_attachments | bytes | bytea | NO |  | 
column meeting_attachments | uploaded_by | bigint | YES |  | 
column meeting_attachments | uploaded_at | bigint | NO |  | 
column meeting_attendance | id | bigint | NO |  | 
column meeting_attendance | meeting_id | bigint | NO |  | 
column meeting_attendance | community_id | bigint | NO |  | 
column meeting_attendance | person_id | bigint | NO |  | 
column meeting_attendance | household_id | bigint | YES |  | 
column meeting_attendance | household_key | bigint | YES |  | 
column meeting_attendance | signed_at | bigint | NO |  | 
column meeting_attendance | recorded_by | bigint | YES |  | 
column meeting_events | id | bigint | NO |  | 
column meeting_events | meeting_id | bigint | NO |  | 
column meeting_events | community_id | bigint | NO |  | 
column meeting_events | at | bigint | NO |  | 
column meeting_events | actor_user_id | bigint | YES |  | 
column meeting_events | action | text | NO |  | 
column meeting_events | note | text | NO |  | 
column meetings | id | bigint | NO |  | 
column meetings | number | text | NO |  | 
column meetings | community_id | bigint | NO |  | 
column meetings | kind | text | NO |  | 
column meetings | title | text | NO |  | 
column meetings | place | text | NO |  | 
column meetings | starts_at | bigint | NO |  | 
column meetings | announced_at | bigint | NO |  | 
column meetings | notice_reason | text | YES |  | 
column meetings | rule_set_id | text | NO |  | 
column meetings | state | text | NO |  | 
column meetings | basis | text | YES |  | 
column meetings | entitled | integer | YES |  | 
column meetings | present | integer | YES |  | 
column meetings | quorate | integer | YES |  | 
column meetings | held_at | bigint | YES |  | 
column meetings | minutes | text | NO |  | 
column meetings | summary | text | NO |  | 
column meetings | cancel_reason | text | YES |  | 
column meetings | created_by | bigint | YES |  | 
column meetings | updated_at | bigint | NO |  | 
column meetings | version | integer | NO | 1 | 
column meetings | attendance_basis | text | YES |  | 
column node_history | id | bigint | NO |  | 
column node_history | node_id | bigint | NO |  | 
column node_history | community_id | bigint | YES |  | 
column node_history | at | bigint | NO |  | 
column node_history | action | text | NO |  | 
column node_history | detail | text | NO |  | 
column node_history | actor_user_id | bigint | YES |  | 
column nodes | id | bigint | NO |  | 
column nodes | kind | text | NO |  | 
column nodes | name | text | NO |  | 
column nodes | code | text | YES |  | 
column nodes | parent_id | bigint | YES |  | 
column nodes | path | text | NO |  | C
column nodes | community_id | bigint | YES |  | 
column nodes | estate_id | bigint | YES |  | 
column nodes | created_at | bigint | NO |  | 
column nodes | closed_at | bigint | YES |  | 
column nodes | latitude | double precision | YES |  | 
column nodes | longitude | double precision | YES |  | 
column nodes | version | integer | NO | 0 | 
column nodes | boundary | text | YES |  | 
column nodes | boundary_min_lat | double precision | YES |  | 
column nodes | boundary_max_lat | double precision | YES |  | 
column nodes | boundary_min_lng | double precision | YES |  | 
column nodes | boundary_max_lng | double precision | YES |  | 
column notifications | id | bigint | NO |  | 
column notifications | user_id | bigint | NO |  | 
column notifications | community_id | bigint | YES |  | 
column notifications | case_id | bigint | YES |  | 
column notifications | at | bigint | NO |  | 
column notifications | kind | text | NO |  | 
column notifications | subject | text | NO |  | 
column notifications | read_at | bigint | YES |  | 
column notifications | subject_kind | text | NO | 'case'::text | 
column notifications | subject_id | bigint | YES |  | 
column open311_tokens | token | text | NO |  | 
column open311_tokens | case_id | bigint | NO |  | 
column open311_tokens | community_id | bigint | NO |  | 
column outbox | id | bigint | NO |  | 
column outbox | notification_id | bigint | NO |  | 
column outbox | channel | text | NO |  | 
column outbox | created_at | bigint | NO |  | 
column outbox | next_attempt_at | bigint | NO |  | 
column outbox | attempts | integer | NO | 0 | 
column outbox | sent_at | bigint | YES |  | 
column outbox | last_error | text | YES |  | 
column outbox | claimed_until | bigint | YES |  | 
column registry_corrections | id | bigint | NO |  | 
column registry_corrections | community_id | bigint | NO |  | 
column registry_corrections | person_id | bigint | NO |  | 
column registry_corrections | author_user_id | bigint | NO |  | 
column registry_corrections | field | text | NO |  | 
column registry_corrections | note_sealed | text | NO |  | 
column registry_corrections | status | text | NO | 'pending'::text | 
column registry_corrections | reason | text | YES |  | 
column registry_corrections | handler_user_id | bigint | YES |  | 
column registry_corrections | created_at | bigint | NO |  | 
column registry_corrections | answered_at | bigint | YES |  | 
column registry_exports | id | bigint | NO |  | 
column registry_exports | community_id | bigint | NO |  | 
column registry_exports | requested_by | bigint | NO |  | 
column registry_exports | reason | text | NO |  | 
column registry_exports | filter | text | NO |  | 
column registry_exports | status | text | NO |  | 
column registry_exports | decided_by | bigint | YES |  | 
column registry_exports | decided_at | bigint | YES |  | 
column registry_exports | row_count | integer | YES |  | 
column registry_exports | downloaded_at | bigint | YES |  | 
column registry_exports | created_at | bigint | NO |  | 
column registry_exports | kind | text | NO | 'people'::text | 
column registry_facilities | id | bigint | NO |  | 
column registry_facilities | community_id | bigint | NO |  | 
column registry_facilities | district_id | bigint | NO |  | 
column registry_facilities | node_id | bigint | NO |  | 
column registry_facilities | code | text | NO |  | 
column registry_facilities | class_code | text | NO |  | 
column registry_facilities | note | text | NO | ''::text | 
column registry_facilities | latitude | double precision | NO |  | 
column registry_facilities | longitude | double precision | NO |  | 
column registry_facilities | state | text | NO |  | 
column registry_facilities | version | integer | NO | 1 | 
column registry_facilities | created_at | bigint | NO |  | 
column registry_facilities | updated_at | bigint | NO |  | 
column registry_house_owners | id | bigint | NO |  | 
column registry_house_owners | community_id | bigint | NO |  | 
column registry_house_owners | house_id | bigint | NO |  | 
column registry_house_owners | building_id | bigint | NO |  | 
column registry_house_owners | person_id | bigint | YES |  | 
column registry_house_owners | name_sealed | text | YES |  | 
column registry_house_owners | owner_key | text | NO |  | 
column registry_house_owners | share | integer | NO |  | 
column registry_house_owners | created_at | bigint | NO |  | 
column registry_house_owners | removed_at | bigint | YES |  | 
column registry_households | id | bigint | NO |  | 
column registry_households | community_id | bigint | NO |  | 
column registry_households | number | text | NO |  | 
column registry_households | building_id | bigint | YES |  | 
column registry_households | house_id | bigint | YES |  | 
column registry_households | head_person_id | bigint | YES |  | 
column registry_households | version | integer | NO | 1 | 
column registry_households | created_at | bigint | NO |  | 
column registry_households | updated_at | bigint | NO |  | 
column registry_houses | id | bigint | NO |  | 
column registry_houses | community_id | bigint | NO |  | 
column registry_houses | building_id | bigint | NO |  | 
column registry_houses | unit | text | NO | ''::text | 
column registry_houses | floor | integer | YES |  | 
column registry_houses | room | text | NO |  | 
column registry_houses | house_use | text | NO |  | 
column registry_houses | area_centi | bigint | YES |  | 
column registry_houses | version | integer | NO | 1 | 
column registry_houses | created_at | bigint | NO |  | 
column registry_houses | updated_at | bigint | NO |  | 
column registry_moves | id | bigint | NO |  | 
column registry_moves | person_id | bigint | NO |  | 
column registry_moves | community_id | bigint | NO |  | 
column registry_moves | kind | text | NO |  | 
column registry_moves | on_date | text | YES |  | 
column registry_moves | building_id | bigint | YES |  | 
column registry_moves | house_id | bigint | YES |  | 
column registry_moves | at | bigint | NO |  | 
column registry_moves | actor_user_id | bigint | YES |  | 
column registry_organisations | id | bigint | NO |  | 
column registry_organisations | community_id | bigint | NO |  | 
column registry_organisations | node_id | bigint | NO |  | 
column registry_organisations | kind | text | NO |  | 
column registry_organisations | name | text | NO |  | 
column registry_organisations | credit_code | text | YES |  | 
column registry_organisations | registration | text | YES |  | 
column registry_organisations | registration_number | text | YES |  | 
column registry_organisations | address | text | NO | ''::text | 
column registry_organisations | contacts_sealed | text | YES |  | 
column registry_organisations | closed_at | bigint | YES |  | 
column registry_organisations | version | integer | NO | 1 | 
column registry_organisations | created_at | bigint | NO |  | 
column registry_organisations | updated_at | bigint | NO |  | 
column registry_people | id | bigint | NO |  | 
column registry_people | community_id | bigint | NO |  | 
column registry_people | building_id | bigint | YES |  | 
column registry_people | house_id | bigint | YES |  | 
column registry_people | household_id | bigint | YES |  | 
column registry_people | relation | text | YES |  | 
column registry_people | name_sealed | text | NO |  | 
column registry_people | document_kind | text | NO |  | 
column registry_people | document_sealed | text | NO |  | 
column registry_people | document_index | text | YES |  | 
column registry_people | phone_sealed | text | YES |  | 
column registry_people | phone_index | text | YES |  | 
column registry_people | phone_tail_index | text | YES |  | 
column registry_people | sex | text | NO |  | 
column registry_people | birth_date | text | NO |  | 
column registry_people | ethnicity | text | YES |  | 
column registry_people | residence | text | NO |  | 
column registry_people | permit_start | text | YES |  | 
column registry_people | permit_end | text | YES |  | 
column registry_people | moved_in_on | text | YES |  | 
column registry_people | moved_out_on | text | YES |  | 
column registry_people | tags | text | NO | ''::text | 
column registry_people | sensitive_sealed | text | YES |  | 
column registry_people | anonymised_at | bigint | YES |  | 
column registry_people | version | integer | NO | 1 | 
column registry_people | created_at | bigint | NO |  | 
column registry_people | updated_at | bigint | NO |  | 
column registry_person_accounts | person_id | bigint | NO |  | 
column registry_person_accounts | community_id | bigint | NO |  | 
column registry_person_accounts | user_id | bigint | NO |  | 
column registry_person_accounts | bound_at | bigint | NO |  | 
column registry_person_tags | person_id | bigint | NO |  | 
column registry_person_tags | community_id | bigint | NO |  | 
column registry_person_tags | tag | text | NO |  | 
column registry_person_terms | person_id | bigint | NO |  | 
column registry_person_terms | community_id | bigint | NO |  | 
column registry_person_terms | term | text | NO |  | 
column registry_reminders | person_id | bigint | NO |  | 
column registry_reminders | community_id | bigint | NO |  | 
column registry_reminders | kind | text | NO |  | 
column registry_reminders | reminder_key | text | NO |  | 
column registry_reminders | at | bigint | NO |  | 
column registry_rental_tenants | rental_id | bigint | NO |  | 
column registry_rental_tenants | person_id | bigint | NO |  | 
column registry_rental_tenants | community_id | bigint | NO |  | 
column registry_rentals | id | bigint | NO |  | 
column registry_rentals | community_id | bigint | NO |  | 
column registry_rentals | house_id | bigint | NO |  | 
column registry_rentals | building_id | bigint | NO |  | 
column registry_rentals | landlord_owner_id | bigint | NO |  | 
column registry_rentals | start_on | text | NO |  | 
column registry_rentals | end_on | text | NO |  | 
column registry_rentals | ended_on | text | YES |  | 
column registry_rentals | last_on | text | NO |  | 
column registry_rentals | purpose | text | NO |  | 
column registry_rentals | created_at | bigint | NO |  | 
column registry_rentals | updated_at | bigint | NO |  | 
column registry_reviews | id | bigint | NO |  | 
column registry_reviews | community_id | bigint | NO |  | 
column registry_reviews | person_id | bigint | NO |  | 
column registry_reviews | action | text | NO |  | 
column registry_reviews | before_json | text | YES |  | 
column registry_reviews | after_json | text | NO |  | 
column registry_reviews | author_user_id | bigint | YES |  | 
column registry_reviews | created_at | bigint | NO |  | 
column registry_reviews | status | text | NO | 'pending'::text | 
column registry_reviews | note | text | YES |  | 
column registry_reviews | reviewer_user_id | bigint | YES |  | 
column registry_reviews | reviewed_at | bigint | YES |  | 
column report_draft_photos | id | bigint | NO |  | 
column report_draft_photos | draft_id | bigint | NO |  | 
column report_draft_photos | community_id | bigint | NO |  | 
column report_draft_photos | content_type | text | NO |  | 
column report_draft_photos | size | integer | NO |  | 
column report_draft_photos | bytes | bytea | NO |  | 
column report_draft_photos | created_at | bigint | NO |  | 
column report_drafts | id | bigint | NO |  | 
column report_drafts | user_id | bigint | NO |  | 
column report_drafts | community_id | bigint | NO |  | 
column report_drafts | kind_answered | integer | NO | 0 | 
column report_drafts | category_id | bigint | YES |  | 
column report_drafts | node_id | bigint | YES |  | 
column report_drafts | latitude | double precision | YES |  | 
column report_drafts | longitude | double precision | YES |  | 
column report_drafts | title | text | NO | ''::text | 
column report_drafts | description | text | NO | ''::text | 
column report_drafts | is_public | integer | YES |  | 
column report_drafts | idempotency_key | text | NO |  | 
column report_drafts | version | integer | NO | 1 | 
column report_drafts | created_at | bigint | NO |  | 
column report_drafts | updated_at | bigint | NO |  | 
column resolution_cases | resolution_id | bigint | NO |  | 
column resolution_cases | community_id | bigint | NO |  | 
column resolution_cases | case_id | bigint | NO |  | 
column resolution_events | id | bigint | NO |  | 
column resolution_events | resolution_id | bigint | NO |  | 
column resolution_events | community_id | bigint | NO |  | 
column resolution_events | at | bigint | NO |  | 
column resolution_events | actor_user_id | bigint | YES |  | 
column resolution_events | action | text | NO |  | 
column resolution_events | note | text | NO |  | 
column resolution_executors | resolution_id | bigint | NO |  | 
column resolution_executors | community_id | bigint | NO |  | 
column resolution_executors | kind | text | NO |  | 
column resolution_executors | ref_id | bigint | NO |  | 
column resolution_executors | position | integer | NO |  | 
column resolution_photos | id | bigint | NO |  | 
column resolution_photos | resolution_id | bigint | NO |  | 
column resolution_photos | community_id | bigint | NO |  | 
column resolution_photos | content_type | text | NO |  | 
column resolution_photos | bytes | bytea | NO |  | 
column resolution_photos | size | integer | NO |  | 
column resolution_photos | uploaded_by | bigint | YES |  | 
column resolution_photos | created_at | bigint | NO |  | 
column resolution_progress | id | bigint | NO |  | 
column resolution_progress | resolution_id | bigint | NO |  | 
column resolution_progress | community_id | bigint | NO |  | 
column resolution_progress | at | bigint | NO |  | 
column resolution_progress | by_user_id | bigint | YES |  | 
column resolution_progress | note | text | NO |  | 
column resolution_progress | evidence | text | NO |  | 
column resolution_progress | percent_done | integer | NO |  | 
column resolution_ratings | resolution_id | bigint | NO |  | 
column resolution_ratings | community_id | bigint | NO |  | 
column resolution_ratings | round | integer | NO |  | 
column resolution_ratings | user_id | bigint | NO |  | 
column resolution_ratings | rating | text | NO |  | 
column resolution_ratings | comment | text | NO |  | 
column resolution_ratings | at | bigint | NO |  | 
column resolutions | id | bigint | NO |  | 
column resolutions | number | text | NO |  | 
column resolutions | community_id | bigint | NO |  | 
column resolutions | topic_id | bigint | YES |  | 
column resolutions | meeting_id | bigint | YES |  | 
column resolutions | vote_id | bigint | YES |  | 
column resolutions | source | text | NO |  | 
column resolutions | text | text | NO |  | 
column resolutions | outcome | text | YES |  | 
column resolutions | adopted_on | text | NO |  | 
column resolutions | deadline | text | NO |  | 
column resolutions | state | text | NO |  | 
column resolutions | percent_done | integer | NO | 0 | 
column resolutions | last_progress_at | bigint | YES |  | 
column resolutions | completed_on | text | YES |  | 
column resolutions | review_round | integer | NO | 0 | 
column resolutions | last_review_on | text | YES |  | 
column resolutions | next_review_on | text | YES |  | 
column resolutions | escalation_level | integer | NO | 0 | 
column resolutions | escalated_at | bigint | YES |  | 
column resolutions | created_by | bigint | YES |  | 
column resolutions | created_at | bigint | NO |  | 
column resolutions | updated_at | bigint | NO |  | 
column resolutions | version | integer | NO | 1 | 
column role_grants | id | bigint | NO |  | 
column role_grants | user_id | bigint | NO |  | 
column role_grants | role | text | NO |  | 
column role_grants | node_id | bigint | NO |  | 
column role_grants | community_id | bigint | YES |  | 
column role_grants | granted_by | bigint | YES |  | 
column role_grants | granted_at | bigint | NO |  | 
column routing_rules | id | bigint | NO |  | 
column routing_rules | node_id | bigint | NO |  | 
column routing_rules | category_id | bigint | NO |  | 
column routing_rules | unit_id | bigint | NO |  | 
column routing_rules | respond_hours | integer | NO |  | 
column routing_rules | resolve_hours | integer | NO |  | 
column routing_rules | working_time | integer | NO | 1 | 
column schema_migrations | version | bigint | NO |  | 
column schema_migrations | name | text | NO |  | 
column schema_migrations | applied_at | bigint | NO |  | 
column sessions | token_hash | text | NO |  | 
column sessions | user_id | bigint | NO |  | 
column sessions | created_at | bigint | NO |  | 
column sessions | last_seen_at | bigint | NO |  | 
column sessions | ended_at | bigint | YES |  | 
column sessions | address | text | YES |  | 
column sessions | second_factor_pending | integer | NO | 0 | 
column topic_cases | topic_id | bigint | NO |  | 
column topic_cases | community_id | bigint | NO |  | 
column topic_cases | case_id | bigint | NO |  | 
column topic_cases | linked_at | bigint | NO |  | 
column topic_cases | linked_by | bigint | YES |  | 
column topic_comment_reports | comment_id | bigint | NO |  | 
column topic_comment_reports | community_id | bigint | NO |  | 
column topic_comment_reports | user_id | bigint | NO |  | 
column topic_comment_reports | at | bigint | NO |  | 
column topic_comment_reports | reason | text | NO |  | 
column topic_comments | id | bigint | NO |  | 
column topic_comments | topic_id | bigint | NO |  | 
column topic_comments | community_id | bigint | NO |  | 
column topic_comments | author_user_id | bigint | YES |  | 
column topic_comments | body | text | NO |  | 
column topic_comments | created_at | bigint | NO |  | 
column topic_comments | hidden_at | bigint | YES |  | 
column topic_comments | hidden_by | bigint | YES |  | 
column topic_comments | hidden_reason | text | YES |  | 
column topic_comments | reports | integer | NO | 0 | 
column topic_cosign_rules | community_id | bigint | NO |  | 
column topic_cosign_rules | scope_kind | text | NO |  | 
column topic_cosign_rules | effective_from | bigint | NO |  | 
column topic_cosign_rules | threshold | integer | NO |  | 
column topic_cosign_rules | window_days | integer | NO |  | 
column topic_cosign_rules | set_by | bigint | YES |  | 
column topic_cosign_rules | set_at | bigint | NO |  | 
column topic_cosignatures | topic_id | bigint | NO |  | 
column topic_cosignatures | community_id | bigint | NO |  | 
column topic_cosignatures | user_id | bigint | NO |  | 
column topic_cosignatures | at | bigint | NO |  | 
column topic_events | id | bigint | NO |  | 
column topic_events | topic_id | bigint | NO |  | 
column topic_events | community_id | bigint | NO |  | 
column topic_events | at | bigint | NO |  | 
column topic_events | actor_user_id | bigint | YES |  | 
column topic_events | action | text | NO |  | 
column topic_events | from_state | text | YES |  | 
column topic_events | to_state | text | NO |  | 
column topic_events | note | text | NO |  | 
column topics | id | bigint | NO |  | 
column topics | number | text | NO |  | 
column topics | community_id | bigint | NO |  | 
column topics | estate_id | bigint | YES |  | 
column topics | building_id | bigint | YES |  | 
column topics | scope_path | text | NO |  | C
column topics | origin | text | NO |  | 
column topics | origin_body_id | bigint | YES |  | 
column topics | origin_case_id | bigint | YES |  | 
column topics | proposer_user_id | bigint | YES |  | 
column topics | title | text | NO |  | 
column topics | body | text | NO |  | 
column topics | state | text | NO |  | 
column topics | created_at | bigint | NO |  | 
column topics | submitted_at | bigint | YES |  | 
column topics | threshold | integer | NO | 0 | 
column topics | collect_until | bigint | YES |  | 
column topics | co_signatures | integer | NO | 0 | 
column topics | placed_by_organiser | integer | NO | 0 | 
column topics | agenda_at | bigint | YES |  | 
column topics | meeting_id | bigint | YES |  | 
column topics | decided_at | bigint | YES |  | 
column topics | resolution_id | bigint | YES |  | 
column topics | archive_reason | text | YES |  | 
column topics | archived_at | bigint | YES |  | 
column topics | updated_at | bigint | NO |  | 
column topics | version | integer | NO | 1 | 
column topics | vote_id | bigint | YES |  | 
column unit_members | unit_id | bigint | NO |  | 
column unit_members | user_id | bigint | NO |  | 
column units | id | bigint | NO |  | 
column units | node_id | bigint | NO |  | 
column units | community_id | bigint | YES |  | 
column units | body_id | bigint | YES |  | 
column units | name | text | NO |  | 
column units | created_at | bigint | NO |  | 
column units | closed_at | bigint | YES |  | 
column users | id | bigint | NO |  | 
column users | username | text | NO |  | 
column users | display_name | text | NO |  | 
column users | password_hash | text | NO |  | 
column users | home_node_id | bigint | YES |  | 
column users | community_id | bigint | YES |  | 
column users | failed_logins | integer | NO | 0 | 
column users | locked_until | bigint | YES |  | 
column users | must_change_password | integer | NO | 0 | 
column users | created_at | bigint | NO |  | 
column users | last_login_at | bigint | YES |  | 
column users | disabled_at | bigint | YES |  | 
column users | totp_secret | text | YES |  | 
column users | totp_enabled_at | bigint | YES |  | 
column users | totp_last_step | bigint | YES |  | 
column users | version | integer | NO | 1 | 
column vote_choices | vote_id | bigint | NO |  | 
column vote_choices | community_id | bigint | NO |  | 
column vote_choices | receipt | text | NO |  | 
column vote_choices | channel | text | NO |  | 
column vote_choices | ballot | text | NO |  | 
column vote_choices | voter_key | text | YES |  | 
column vote_events | id | bigint | NO |  | 
column vote_events | vote_id | bigint | NO |  | 
column vote_events | community_id | bigint | NO |  | 
column vote_events | at | bigint | NO |  | 
column vote_events | actor_user_id | bigint | YES |  | 
column vote_events | action | text | NO |  | 
column vote_events | note | text | NO |  | 
column vote_paper_ballots | vote_id | bigint | NO |  | 
column vote_paper_ballots | community_id | bigint | NO |  | 
column vote_paper_ballots | voter_key | text | NO |  | 
column vote_paper_ballots | box | text | NO |  | 
column vote_paper_ballots | mark | text | NO |  | 
column vote_paper_ballots | entered_by | bigint | YES |  | 
column vote_paper_ballots | entered_at | bigint | NO |  | 
column vote_paper_boxes | vote_id | bigint | NO |  | 
column vote_paper_boxes | community_id | bigint | NO |  | 
column vote_paper_boxes | box | text | NO |  | 
column vote_paper_boxes | issued | integer | NO |  | 
column vote_paper_boxes | returned | integer | NO |  | 
column vote_paper_boxes | void | integer | NO |  | 
column vote_paper_boxes | blank | integer | NO |  | 
column vote_paper_boxes | marks | text | NO |  | 
column vote_paper_boxes | scrutineers | text | NO |  | 
column vote_paper_boxes | photo_type | text | NO |  | 
column vote_paper_boxes | photo | bytea | NO |  | 
column vote_paper_boxes | entered_by | bigint | YES |  | 
column vote_paper_boxes | entered_at | bigint | NO |  | 
column vote_paper_boxes | signed_by_1 | bigint | YES |  | 
column vote_paper_boxes | signed_at_1 | bigint | YES |  | 
column vote_paper_boxes | signed_by_2 | bigint | YES |  | 
column vote_paper_boxes | signed_at_2 | bigint | YES |  | 
column vote_participation | vote_id | bigint | NO |  | 
column vote_participation | community_id | bigint | NO |  | 
column vote_participation | voter_key | text | NO |  | 
column vote_participation | channel | text | NO |  | 
column vote_participation | box | text | YES |  | 
column vote_participation | cast_by | bigint | YES |  | 
column vote_participation | by_proxy | integer | NO |  | 
column vote_participation | at | bigint | NO |  | 
column vote_proxies | vote_id | bigint | NO |  | 
column vote_proxies | community_id | bigint | NO |  | 
column vote_proxies | principal_key | text | NO |  | 
column vote_proxies | proxy_person_id | bigint | NO |  | 
column vote_proxies | document | text | NO |  | 
column vote_proxies | signed_on | text | NO |  | 
column vote_proxies | instructions | text | YES |  | 
column vote_proxies | recorded_by | bigint | YES |  | 
column vote_proxies | recorded_at | bigint | NO |  | 
column vote_roll | vote_id | bigint | NO |  | 
column vote_roll | community_id | bigint | NO |  | 
column vote_roll | voter_key | text | NO |  | 
column vote_roll | area_centi | bigint | YES |  | 
column vote_roll_casters | vote_id | bigint | NO |  | 
column vote_roll_casters | community_id | bigint | NO |  | 
column vote_roll_casters | person_id | bigint | NO |  | 
column vote_roll_casters | voter_key | text | NO |  | 
column votes | id | bigint | NO |  | 
column votes | number | text | NO |  | 
column votes | community_id | bigint | NO |  | 
column votes | scope_node_id | bigint | NO |  | 
column votes | topic_id | bigint | YES |  | 
column votes | meeting_id | bigint | YES |  | 
column votes | title | text | NO |  | 
column votes | spec | text | NO |  | 
column votes | basis | text | NO |  | 
column votes | matter | text | YES |  | 
column votes | opens_at | bigint | NO |  | 
column votes | closes_at | bigint | NO |  | 
column votes | secrecy | text | NO |  | 
column votes | results_before_close | integer | NO |  | 
column votes | proxies | text | NO |  | 
column votes | rule_set_id | text | NO |  | 
column votes | state | text | NO |  | 
column votes | roll_size | integer | NO | 0 | 
column votes | frozen_at | bigint | YES |  | 
column votes | closed_at | bigint | YES |  | 
column votes | published_at | bigint | YES |  | 
column votes | result | text | YES |  | 
column votes | created_by | bigint | YES |  | 
column votes | created_at | bigint | NO |  | 
column votes | updated_at | bigint | NO |  | 
column votes | version | integer | NO | 1 | 
CREATE UNIQUE INDEX api_tokens_hash ON public.api_tokens USING btree (token_hash);
CREATE UNIQUE INDEX api_tokens_pkey ON public.api_tokens USING btree (id);
CREATE INDEX api_tokens_user ON public.api_tokens USING btree (user_id);
CREATE UNIQUE INDEX audit_checkpoints_pkey ON public.audit_checkpoints USING btree (seq);
CREATE UNIQUE INDEX audit_head_pkey ON public.audit_head USING btree (id);
CREATE INDEX audit_log_at ON public.audit_log USING btree (at);
CREATE INDEX audit_log_community ON public.audit_log USING btree (community_id, seq);
CREATE INDEX audit_log_object ON public.audit_log USING btree (object_type, object_id);
CREATE UNIQUE INDEX audit_log_pkey ON public.audit_log USING btree (seq);
CREATE INDEX bodies_community ON public.bodies USING btree (community_id);
CREATE UNIQUE INDEX bodies_name ON public.bodies USING btree (community_id, name) WHERE (closed_at IS NULL);
CREATE UNIQUE INDEX bodies_pkey ON public.bodies USING btree (id);
CREATE UNIQUE INDEX calendar_days_pkey ON public.calendar_days USING btree (day);
CREATE UNIQUE INDEX care_groups_name ON public.care_groups USING btree (community_id, name);
CREATE UNIQUE INDEX care_groups_pkey ON public.care_groups USING btree (id);
CREATE INDEX care_members_due ON public.care_members USING btree (community_id, next_due_on);
CREATE INDEX care_members_person ON public.care_members USING btree (person_id);
CREATE UNIQUE INDEX care_members_pkey ON public.care_members USING btree (group_id, person_id);
CREATE INDEX care_members_visitor ON public.care_members USING btree (visitor_user_id, next_due_on);
CREATE INDEX care_visits_community ON public.care_visits USING btree (community_id, visited_on);
CREATE INDEX care_visits_person ON public.care_visits USING btree (person_id, visited_on);
CREATE UNIQUE INDEX care_visits_pkey ON public.care_visits USING btree (id);
CREATE INDEX case_attributes_case ON public.case_attributes USING btree (case_id, code);
CREATE INDEX case_callers_community ON public.case_callers USING btree (community_id);
CREATE INDEX case_callers_phone ON public.case_callers USING btree (phone_index);
CREATE UNIQUE INDEX case_callers_pkey ON public.case_callers USING btree (case_id);
CREATE UNIQUE INDEX case_categories_name ON public.case_categories USING btree (node_id, parent_id, name);
CREATE UNIQUE INDEX case_categories_pkey ON public.case_categories USING btree (id);
CREATE UNIQUE INDEX case_counts_pkey ON public.case_counts USING btree (community_id, grid_id, status);
CREATE INDEX case_events_case ON public.case_events USING btree (case_id, at);
CREATE UNIQUE INDEX case_events_pkey ON public.case_events USING btree (id);
CREATE INDEX case_extension_requests_case ON public.case_extension_requests USING btree (case_id, decided_at);
CREATE UNIQUE INDEX case_extension_requests_pkey ON public.case_extension_requests USING btree (id);
CREATE INDEX case_followers_community ON public.case_followers USING btree (community_id);
CREATE UNIQUE INDEX case_followers_pkey ON public.case_followers USING btree (case_id, user_id);
CREATE INDEX case_followers_user ON public.case_followers USING btree (user_id);
CREATE INDEX case_grid_steps_case ON public.case_grid_steps USING btree (case_id, step);
CREATE UNIQUE INDEX case_grid_steps_pkey ON public.case_grid_steps USING btree (id);
CREATE UNIQUE INDEX case_measure_rollups_pkey ON public.case_measure_rollups USING btree (dimension, span, community_id, bucket, member_id);
CREATE INDEX case_photos_case ON public.case_photos USING btree (case_id);
CREATE UNIQUE INDEX case_photos_pkey ON public.case_photos USING btree (id);
CREATE UNIQUE INDEX case_reminders_pkey ON public.case_reminders USING btree (case_id, kind);
CREATE INDEX cases_closed_at ON public.cases USING btree (community_id, status, closed_at) WHERE (status = 'closed'::text);
CREATE INDEX cases_community ON public.cases USING btree (community_id, status, created_at);
CREATE INDEX cases_community_newest ON public.cases USING btree (community_id, id);
CREATE INDEX cases_community_overdue ON public.cases USING btree (community_id, status, resolve_by) WHERE (status = ANY (ARRAY['dispatched'::text, 'handling'::text, 'reportedBack'::text]));
CREATE INDEX cases_community_status_newest ON public.cases USING btree (community_id, status, id, grid_id, resolve_by, escalation_level);
CREATE INDEX cases_due ON public.cases USING btree (status, resolve_by);
CREATE INDEX cases_escalation_due ON public.cases USING btree (escalation_level, resolve_by) WHERE (status = ANY (ARRAY['dispatched'::text, 'handling'::text, 'reportedBack'::text]));
CREATE INDEX cases_facility ON public.cases USING btree (facility_id, id);
CREATE INDEX cases_grid ON public.cases USING btree (grid_id);
CREATE INDEX cases_grid_escalated ON public.cases USING btree (community_id, grid_id) WHERE ((escalation_level > 0) AND (status = ANY (ARRAY['submitted'::text, 'filed'::text, 'dispatched'::text, 'handling'::text, 'reportedBack'::text])));
CREATE INDEX cases_grid_overdue ON public.cases USING btree (community_id, grid_id, resolve_by) WHERE (status = ANY (ARRAY['dispatched'::text, 'handling'::text, 'reportedBack'::text]));
CREATE INDEX cases_mapped ON public.cases USING btree (community_id, id) WHERE (latitude IS NOT NULL);
CREATE INDEX cases_mapped_open ON public.cases USING btree (community_id, id) WHERE ((latitude IS NOT NULL) AND (status = ANY (ARRAY['submitted'::text, 'filed'::text, 'dispatched'::text, 'handling'::text, 'reportedBack'::text])));
CREATE UNIQUE INDEX cases_number ON public.cases USING btree (number);
CREATE UNIQUE INDEX cases_pkey ON public.cases USING btree (id);
CREATE INDEX cases_reporter ON public.cases USING btree (reporter_user_id, created_at);
CREATE INDEX cases_scope ON public.cases USING btree (node_path, status, created_at);
CREATE INDEX cases_status_newest ON public.cases USING btree (status, id);
CREATE INDEX cases_text_trgm ON public.cases USING gin ((((title || ' '::text) || description)) gin_trgm_ops);
CREATE INDEX cases_unit ON public.cases USING btree (unit_id, status);
CREATE INDEX cases_unrated_closed ON public.cases USING btree (closed_at) WHERE ((status = 'closed'::text) AND (rating IS NULL));
CREATE UNIQUE INDEX convention_versions_pkey ON public.convention_versions USING btree (convention_id, number);
CREATE INDEX conventions_community ON public.conventions USING btree (community_id, id);
CREATE UNIQUE INDEX conventions_pkey ON public.conventions USING btree (id);
CREATE INDEX duty_items_body ON public.duty_items USING btree (body_id, "position");
CREATE UNIQUE INDEX duty_items_pkey ON public.duty_items USING btree (id);
CREATE UNIQUE INDEX estates_name ON public.estates USING btree (community_id, name);
CREATE UNIQUE INDEX estates_pkey ON public.estates USING btree (id);
CREATE INDEX idempotency_entries_created ON public.idempotency_entries USING btree (created_at);
CREATE UNIQUE INDEX idempotency_entries_pkey ON public.idempotency_entries USING btree (scope, user_id, key);
CREATE INDEX login_failures_address ON public.login_failures USING btree (address, at);
CREATE UNIQUE INDEX login_failures_pkey ON public.login_failures USING btree (id);
CREATE INDEX mediation_sessions_case ON public.mediation_sessions USING btree (case_id, at);
CREATE UNIQUE INDEX mediation_sessions_pkey ON public.mediation_sessions USING btree (id);
CREATE INDEX meeting_attachments_meeting ON public.meeting_attachments USING btree (meeting_id, id);
CREATE UNIQUE INDEX meeting_attachments_pkey ON public.meeting_attachments USING btree (id);
CREATE UNIQUE INDEX meeting_attendance_household ON public.meeting_attendance USING btree (meeting_id, household_key);
CREATE UNIQUE INDEX meeting_attendance_person ON public.meeting_attendance USING btree (meeting_id, person_id);
CREATE UNIQUE INDEX meeting_attendance_pkey ON public.meeting_attendance USING btree (id);
CREATE INDEX meeting_events_meeting ON public.meeting_events USING btree (meeting_id, at);
CREATE UNIQUE INDEX meeting_events_pkey ON public.meeting_events USING btree (id);
CREATE INDEX meetings_community ON public.meetings USING btree (community_id, starts_at);
CREATE UNIQUE INDEX meetings_number ON public.meetings USING btree (number);
CREATE UNIQUE INDEX meetings_pkey ON public.meetings USING btree (id);
CREATE INDEX node_history_node ON public.node_history USING btree (node_id, at);
CREATE UNIQUE INDEX node_history_pkey ON public.node_history USING btree (id);
CREATE INDEX nodes_boundary_box ON public.nodes USING btree (boundary_min_lat, boundary_max_lat);
CREATE UNIQUE INDEX nodes_code ON public.nodes USING btree (code) WHERE (code IS NOT NULL);
CREATE INDEX nodes_community ON public.nodes USING btree (community_id);
CREATE INDEX nodes_kind_path ON public.nodes USING btree (kind, path);
CREATE UNIQUE INDEX nodes_open_sibling_name ON public.nodes USING btree (parent_id, name) WHERE (closed_at IS NULL);
CREATE INDEX nodes_parent ON public.nodes USING btree (parent_id);
CREATE UNIQUE INDEX nodes_path ON public.nodes USING btree (path);
CREATE UNIQUE INDEX nodes_pkey ON public.nodes USING btree (id);
CREATE INDEX nodes_point ON public.nodes USING btree (latitude, longitude) WHERE (latitude IS NOT NULL);
CREATE INDEX notifications_case ON public.notifications USING btree (case_id);
CREATE UNIQUE INDEX notifications_pkey ON public.notifications USING btree (id);
CREATE INDEX notifications_subject ON public.notifications USING btree (subject_kind, subject_id);
CREATE INDEX notifications_user ON public.notifications USING btree (user_id, read_at, id);
CREATE INDEX open311_tokens_case ON public.open311_tokens USING btree (case_id);
CREATE UNIQUE INDEX open311_tokens_next_pkey ON public.open311_tokens USING btree (token);
CREATE INDEX outbox_pending ON public.outbox USING btree (sent_at, next_attempt_at);
CREATE UNIQUE INDEX outbox_pkey ON public.outbox USING btree (id);
CREATE INDEX registry_corrections_author ON public.registry_corrections USING btree (author_user_id, id);
CREATE UNIQUE INDEX registry_corrections_pkey ON public.registry_corrections USING btree (id);
CREATE INDEX registry_corrections_queue ON public.registry_corrections USING btree (community_id, status, id);
CREATE INDEX registry_exports_community ON public.registry_exports USING btree (community_id, status, id);
CREATE UNIQUE INDEX registry_exports_pkey ON public.registry_exports USING btree (id);
CREATE UNIQUE INDEX registry_facilities_code ON public.registry_facilities USING btree (district_id, code);
CREATE INDEX registry_facilities_community ON public.registry_facilities USING btree (community_id, id);
CREATE INDEX registry_facilities_node ON public.registry_facilities USING btree (node_id);
CREATE UNIQUE INDEX registry_facilities_pkey ON public.registry_facilities USING btree (id);
CREATE INDEX registry_house_owners_building ON public.registry_house_owners USING btree (building_id, owner_key);
CREATE INDEX registry_house_owners_community ON public.registry_house_owners USING btree (community_id, owner_key);
CREATE UNIQUE INDEX registry_house_owners_key ON public.registry_house_owners USING btree (house_id, owner_key) WHERE (removed_at IS NULL);
CREATE INDEX registry_house_owners_person ON public.registry_house_owners USING btree (person_id);
CREATE UNIQUE INDEX registry_house_owners_pkey ON public.registry_house_owners USING btree (id);
CREATE UNIQUE INDEX registry_households_number ON public.registry_households USING btree (community_id, number);
CREATE UNIQUE INDEX registry_households_pkey ON public.registry_households USING btree (id);
CREATE INDEX registry_houses_community ON public.registry_houses USING btree (community_id, id);
CREATE UNIQUE INDEX registry_houses_pkey ON public.registry_houses USING btree (id);
CREATE UNIQUE INDEX registry_houses_room ON public.registry_houses USING btree (community_id, building_id, unit, room);
CREATE INDEX registry_moves_person ON public.registry_moves USING btree (person_id, id);
CREATE UNIQUE INDEX registry_moves_pkey ON public.registry_moves USING btree (id);
CREATE UNIQUE INDEX registry_organisations_code ON public.registry_organisations USING btree (credit_code) WHERE (credit_code IS NOT NULL);
CREATE INDEX registry_organisations_community ON public.registry_organisations USING btree (community_id, closed_at, id);
CREATE INDEX registry_organisations_name_trgm ON public.registry_organisations USING gin (name gin_trgm_ops);
CREATE INDEX registry_organisations_node ON public.registry_organisations USING btree (node_id);
CREATE UNIQUE INDEX registry_organisations_pkey ON public.registry_organisations USING btree (id);
CREATE INDEX registry_people_building ON public.registry_people USING btree (building_id, id);
CREATE INDEX registry_people_community ON public.registry_people USING btree (community_id, id);
CREATE UNIQUE INDEX registry_people_document ON public.registry_people USING btree (community_id, document_index);
CREATE INDEX registry_people_document_any ON public.registry_people USING btree (document_index);
CREATE INDEX registry_people_household ON public.registry_people USING btree (household_id);
CREATE INDEX registry_people_permit ON public.registry_people USING btree (community_id, permit_end);
CREATE INDEX registry_people_phone ON public.registry_people USING btree (community_id, phone_index);
CREATE INDEX registry_people_phone_tail ON public.registry_people USING btree (community_id, phone_tail_index);
CREATE UNIQUE INDEX registry_people_pkey ON public.registry_people USING btree (id);
CREATE INDEX registry_person_accounts_community ON public.registry_person_accounts USING btree (community_id);
CREATE UNIQUE INDEX registry_person_accounts_pkey ON public.registry_person_accounts USING btree (person_id);
CREATE UNIQUE INDEX registry_person_accounts_user_id_key ON public.registry_person_accounts USING btree (user_id);
CREATE UNIQUE INDEX registry_person_tags_pkey ON public.registry_person_tags USING btree (person_id, tag);
CREATE INDEX registry_person_tags_tag ON public.registry_person_tags USING btree (community_id, tag, person_id);
CREATE INDEX registry_person_terms_newest ON public.registry_person_terms USING btree (term, person_id);
CREATE UNIQUE INDEX registry_person_terms_pkey ON public.registry_person_terms USING btree (person_id, term);
CREATE INDEX registry_person_terms_term ON public.registry_person_terms USING btree (community_id, term, person_id);
CREATE INDEX registry_reminders_community ON public.registry_reminders USING btree (community_id);
CREATE UNIQUE INDEX registry_reminders_pkey ON public.registry_reminders USING btree (person_id, kind, reminder_key);
CREATE INDEX registry_rental_tenants_person ON public.registry_rental_tenants USING btree (person_id);
CREATE UNIQUE INDEX registry_rental_tenants_pkey ON public.registry_rental_tenants USING btree (rental_id, person_id);
CREATE INDEX registry_rentals_building ON public.registry_rentals USING btree (building_id, last_on);
CREATE INDEX registry_rentals_community ON public.registry_rentals USING btree (community_id, last_on);
CREATE INDEX registry_rentals_house ON public.registry_rentals USING btree (house_id, last_on);
CREATE UNIQUE INDEX registry_rentals_pkey ON public.registry_rentals USING btree (id);
CREATE INDEX registry_reviews_author ON public.registry_reviews USING btree (author_user_id, status, id);
CREATE UNIQUE INDEX registry_reviews_pkey ON public.registry_reviews USING btree (id);
CREATE INDEX registry_reviews_queue ON public.registry_reviews USING btree (community_id, status, id);
CREATE INDEX report_draft_photos_draft ON public.report_draft_photos USING btree (draft_id);
CREATE UNIQUE INDEX report_draft_photos_pkey ON public.report_draft_photos USING btree (id);
CREATE INDEX report_drafts_community ON public.report_drafts USING btree (community_id);
CREATE UNIQUE INDEX report_drafts_pkey ON public.report_drafts USING btree (id);
CREATE UNIQUE INDEX report_drafts_user_id_key ON public.report_drafts USING btree (user_id);
CREATE INDEX resolution_cases_case ON public.resolution_cases USING btree (case_id);
CREATE UNIQUE INDEX resolution_cases_pkey ON public.resolution_cases USING btree (resolution_id, case_id);
CREATE UNIQUE INDEX resolution_events_pkey ON public.resolution_events USING btree (id);
CREATE INDEX resolution_events_resolution ON public.resolution_events USING btree (resolution_id, at);
CREATE UNIQUE INDEX resolution_executors_pkey ON public.resolution_executors USING btree (resolution_id, kind, ref_id);
CREATE INDEX resolution_executors_ref ON public.resolution_executors USING btree (kind, ref_id);
CREATE UNIQUE INDEX resolution_photos_pkey ON public.resolution_photos USING btree (id);
CREATE INDEX resolution_photos_resolution ON public.resolution_photos USING btree (resolution_id);
CREATE UNIQUE INDEX resolution_progress_pkey ON public.resolution_progress USING btree (id);
CREATE INDEX resolution_progress_resolution ON public.resolution_progress USING btree (resolution_id, at);
CREATE UNIQUE INDEX resolution_ratings_pkey ON public.resolution_ratings USING btree (resolution_id, round, user_id);
CREATE INDEX resolutions_community ON public.resolutions USING btree (community_id, id);
CREATE UNIQUE INDEX resolutions_number ON public.resolutions USING btree (number);
CREATE INDEX resolutions_open_deadline ON public.resolutions USING btree (deadline) WHERE (state = 'inProgress'::text);
CREATE UNIQUE INDEX resolutions_pkey ON public.resolutions USING btree (id);
CREATE INDEX resolutions_review_due ON public.resolutions USING btree (next_review_on) WHERE (next_review_on IS NOT NULL);
CREATE INDEX resolutions_topic ON public.resolutions USING btree (topic_id) WHERE (topic_id IS NOT NULL);
CREATE INDEX role_grants_node ON public.role_grants USING btree (node_id);
CREATE UNIQUE INDEX role_grants_pkey ON public.role_grants USING btree (id);
CREATE UNIQUE INDEX role_grants_unique ON public.role_grants USING btree (user_id, role, node_id);
CREATE UNIQUE INDEX routing_rules_pkey ON public.routing_rules USING btree (id);
CREATE UNIQUE INDEX routing_rules_scope ON public.routing_rules USING btree (node_id, category_id);
CREATE UNIQUE INDEX schema_migrations_pkey ON public.schema_migrations USING btree (version);
CREATE UNIQUE INDEX sessions_pkey ON public.sessions USING btree (token_hash);
CREATE INDEX sessions_user ON public.sessions USING btree (user_id);
CREATE INDEX topic_cases_case ON public.topic_cases USING btree (case_id);
CREATE UNIQUE INDEX topic_cases_pkey ON public.topic_cases USING btree (topic_id, case_id);
CREATE UNIQUE INDEX topic_comment_reports_pkey ON public.topic_comment_reports USING btree (comment_id, user_id);
CREATE UNIQUE INDEX topic_comments_pkey ON public.topic_comments USING btree (id);
CREATE INDEX topic_comments_topic ON public.topic_comments USING btree (topic_id, id);
CREATE UNIQUE INDEX topic_cosign_rules_pkey ON public.topic_cosign_rules USING btree (community_id, scope_kind, effective_from);
CREATE UNIQUE INDEX topic_cosignatures_pkey ON public.topic_cosignatures USING btree (topic_id, user_id);
CREATE INDEX topic_cosignatures_user ON public.topic_cosignatures USING btree (user_id);
CREATE UNIQUE INDEX topic_events_pkey ON public.topic_events USING btree (id);
CREATE INDEX topic_events_topic ON public.topic_events USING btree (topic_id, at);
CREATE INDEX topics_collecting_until ON public.topics USING btree (collect_until) WHERE (state = 'collecting'::text);
CREATE INDEX topics_community_state ON public.topics USING btree (community_id, state, id);
CREATE INDEX topics_meeting ON public.topics USING btree (meeting_id) WHERE (meeting_id IS NOT NULL);
CREATE UNIQUE INDEX topics_number ON public.topics USING btree (number);
CREATE UNIQUE INDEX topics_pkey ON public.topics USING btree (id);
CREATE INDEX topics_proposer ON public.topics USING btree (proposer_user_id);
CREATE INDEX topics_scope_path ON public.topics USING btree (scope_path);
CREATE INDEX topics_vote ON public.topics USING btree (vote_id) WHERE (vote_id IS NOT NULL);
CREATE UNIQUE INDEX unit_members_pkey ON public.unit_members USING btree (unit_id, user_id);
CREATE INDEX unit_members_user ON public.unit_members USING btree (user_id);
CREATE UNIQUE INDEX units_name ON public.units USING btree (node_id, name);
CREATE UNIQUE INDEX units_pkey ON public.units USING btree (id);
CREATE INDEX users_community ON public.users USING btree (community_id);
CREATE INDEX users_home ON public.users USING btree (home_node_id);
CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id);
CREATE UNIQUE INDEX users_username ON public.users USING btree (username);
CREATE UNIQUE INDEX vote_choices_pkey ON public.vote_choices USING btree (vote_id, receipt);
CREATE UNIQUE INDEX vote_events_pkey ON public.vote_events USING btree (id);
CREATE INDEX vote_events_vote ON public.vote_events USING btree (vote_id, at);
CREATE INDEX vote_paper_ballots_box ON public.vote_paper_ballots USING btree (vote_id, box, mark);
CREATE UNIQUE INDEX vote_paper_ballots_pkey ON public.vote_paper_ballots USING btree (vote_id, voter_key);
CREATE UNIQUE INDEX vote_paper_boxes_pkey ON public.vote_paper_boxes USING btree (vote_id, box);
CREATE UNIQUE INDEX vote_participation_pkey ON public.vote_participation USING btree (vote_id, voter_key);
CREATE UNIQUE INDEX vote_proxies_pkey ON public.vote_proxies USING btree (vote_id, principal_key);
CREATE INDEX vote_proxies_proxy ON public.vote_proxies USING btree (vote_id, proxy_person_id);
CREATE INDEX vote_roll_casters_key ON public.vote_roll_casters USING btree (vote_id, voter_key, person_id);
CREATE UNIQUE INDEX vote_roll_casters_pkey ON public.vote_roll_casters USING btree (vote_id, person_id, voter_key);
CREATE UNIQUE INDEX vote_roll_pkey ON public.vote_roll USING btree (vote_id, voter_key);
CREATE INDEX votes_community ON public.votes USING btree (community_id, closes_at);
CREATE INDEX votes_meeting ON public.votes USING btree (meeting_id) WHERE (meeting_id IS NOT NULL);
CREATE UNIQUE INDEX votes_number ON public.votes USING btree (number);
CREATE UNIQUE INDEX votes_pkey ON public.votes USING btree (id);
CREATE INDEX votes_topic ON public.votes USING btree (topic_id) WHERE (topic_id IS NOT NULL);
trigger audit_log_no_change | DELETE | audit_log
trigger audit_log_no_change | UPDATE | audit_log
trigger case_counts_follow | DELETE | cases
trigger case_counts_follow | INSERT | cases
trigger case_counts_follow | UPDATE | cases
trigger case_measure_rollups_follow | DELETE | cases
trigger case_measure_rollups_follow | INSERT | cases
trigger case_measure_rollups_follow | UPDATE | cases
