import GongzhiDomain

extension ModuleManifest {
    /// The base registry of people, households and houses (issue 12), for the staff who keep and read it, and each
    /// resident's own record.
    static let registry = ModuleManifest(
        name: "registry",
        templates: [
            "registry/people", "registry/person", "registry/person_form", "registry/building", "registry/import",
            "registry/me", "registry/exports", "registry/house", "registry/organisations", "registry/organisation",
            "registry/organisation_form", "registry/facilities", "registry/facility", "registry/facility_form",
            "registry/me", "registry/exports", "registry/care", "registry/care_group", "registry/care_person",
            "registry/care_home", "registry/reviews", "registry/corrections", "registry/corrections_me",
            "registry/houses", "registry/households",
        ],
        navigation: [
            NavigationEntry(
                order: 25, href: RegistryURL.people.path, label: "nav_registry", section: "registry",
                visible: { !RegistryPolicy.readablePaths(of: $0).isEmpty }),
            NavigationEntry(
                order: 26, href: CareURL.home.path, label: "nav_care", section: "care",
                visible: { !RegistryPolicy.readablePaths(of: $0).isEmpty }),
            NavigationEntry(
                order: 27, href: RegistryReviewPages.path, label: "nav_reviews", section: "reviews",
                visible: { !RegistryPolicy.readablePaths(of: $0).isEmpty }),
            NavigationEntry(
                order: 28, href: CorrectionPages.path, label: "nav_corrections", section: "corrections",
                visible: { RegistryPolicy.holdsAnywhere(.edit, $0) }),
            NavigationEntry(
                order: 85, href: RegistrySelfPages.path, label: "nav_my_record", section: "my_record",
                visible: { $0.holds(.resident) || $0.holds(.buildingHead) }),
        ],
        routes: { services, groups in
            RegistryPages(services: services).register(on: groups.pages)
            RegistryAPI(services: services).register(on: groups.api)
            RegistryImportPages(services: services).register(pages: groups.pages, api: groups.api)
            RegistrySelfPages(services: services).register(pages: groups.pages, api: groups.api)
            RegistryExportPages(services: services).register(pages: groups.pages, api: groups.api)
            RegistryHousePages(services: services).register(pages: groups.pages, api: groups.api)
            RegistryPlacePages(services: services).register(pages: groups.pages, api: groups.api)
            RegistryOrganisationPages(services: services).register(pages: groups.pages, api: groups.api)
            RegistryFacilityPages(services: services).register(pages: groups.pages, api: groups.api)
            CarePages(services: services).register(on: groups.pages)
            CareAPI(services: services).register(on: groups.api)
            RegistryReviewPages(services: services).register(pages: groups.pages, api: groups.api)
            CorrectionPages(services: services).register(pages: groups.pages, api: groups.api)
        },
        noticeLinks: ["person": { RegistryURL.person($0).path }, "my_record": { _ in RegistrySelfPages.path }],
        services: { services in [PermitReminderService.make(services)] })
}
