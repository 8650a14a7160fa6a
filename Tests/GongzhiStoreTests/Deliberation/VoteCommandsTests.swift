import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

@Suite struct VoteCommandsTests {
    static let during = VoteWorld.during
    static let closing = VoteWorld.closing
    static let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]

    func key(_ error: any Error) -> String? { (error as? DomainError)?.key }

    @Test func theRollIsFrozenFromTheRegistryOnEachBasis() async throws {
        try await withTestDatabase { db in
            // given the registry of the vote world
            let w = try await VoteWorld.make(db)
            // when votes on each basis are scheduled
            let persons = try await w.vote(basis: .persons)
            let households = try await w.vote(basis: .households)
            let owners = try await w.vote(basis: .owners, secrecy: .open)
            // then the child and the other community's resident are off the persons' roll, one entry per household,
            // one head per owner (the owner living elsewhere included, with no one to cast for them online)
            #expect(persons.state == .scheduled && persons.rollSize == 4)
            #expect(households.rollSize == 3)
            #expect(owners.rollSize == 4)
            let areas = try await db.read { sql in
                try await sql.raw(
                    "SELECT area_centi FROM vote_roll WHERE vote_id = \(bind: owners.id) ORDER BY area_centi"
                ).all().map { try $0.decode(column: "area_centi", as: Int64.self) }
            }
            #expect(areas == [6_000, 8_950, 8_950, 12_000])
            // and a vote nobody could vote in is not scheduled
            await #expect(throws: DomainError(.conflict, "vote_step_out_of_order", args: ["schedule", "scheduled"])) {
                try await w.commands().perform(w.worker, persons.id, .schedule)
            }
        }
    }

    @Test func theDevelopersUnsoldHousesAreFrozenAsOneHeadWithTheirSummedArea() async throws {
        try await withTestDatabase { db in
            // given the vote world and three more houses held by the developer (unsold), in both buildings
            let w = try await VoteWorld.make(db)
            let registry = RegistryCommands(db: db, clock: .fixed(VoteWorld.t0 - 3600))
            let clerk = w.deliberation.cases.worker
            var unsold: [Int64] = []
            for (building, room, area) in [(0, "301", "100"), (0, "302", "75.25"), (1, "201", "50")] {
                let house = try await registry.registerHouse(
                    clerk,
                    try HouseForm(
                        building: "\(w.tree.buildings[building].id)", unit: "1单元", floor: "3", room: room, area: area
                    ).draft())
                unsold.append(house.id)
                try await registry.perform(
                    clerk, house: house.id, .addOwner(try OwnerForm(name: "南山置业", developer: true).draft()))
            }
            // a buyer cannot be added beside the developer
            await #expect(throws: DomainError(.conflict, "owner_house_unsold", field: "person")) {
                try await registry.perform(
                    clerk, house: unsold[0], .addOwner(OwnerDraft(personID: w.people[2], name: nil, share: 10_000)))
            }
            // when an owners' vote is scheduled
            let v = try await w.vote(basis: .owners, secrecy: .open)
            // then the four owners and the developer are five heads, the developer's area the sum of its houses
            #expect(v.rollSize == 5)
            let rows = try await db.read { sql in
                try await sql.raw(
                    "SELECT voter_key, area_centi FROM vote_roll WHERE vote_id = \(bind: v.id) ORDER BY area_centi"
                ).all().map {
                    (
                        try $0.decode(column: "voter_key", as: String.self),
                        try $0.decode(column: "area_centi", as: Int64.self)
                    )
                }
            }
            #expect(rows.map(\.1) == [6_000, 8_950, 8_950, 12_000, 22_525])
            #expect(rows.last?.0 == "developer")
            // and the owners' areas of the registry show the developer once
            let areas = try await RegistryStore(db: db).ownerAreas(building: w.tree.buildings[0].id, for: clerk)
            #expect(areas.filter { $0.ownerKey == "developer" }.map(\.houses) == [2])
            // and once a house is sold (the developer removed, the buyer added) it leaves the developer's head
            let detail = try await RegistryStore(db: db).house(unsold[0], for: clerk)
            #expect(detail.owners.map(\.developer) == [true])
            try await registry.perform(clerk, house: unsold[0], .removeOwner(detail.owners[0].id))
            try await registry.perform(
                clerk, house: unsold[0], .addOwner(OwnerDraft(personID: w.people[2], name: nil, share: 10_000)))
            let after = try await w.vote(basis: .owners, secrecy: .open)
            let developerArea = try await db.read { sql in
                try await sql.raw(
                    "SELECT area_centi FROM vote_roll WHERE vote_id = \(bind: after.id) AND voter_key = 'developer'"
                ).first()?.decode(column: "area_centi", as: Int64.self)
            }
            #expect(after.rollSize == 5 && developerArea == 12_525)
        }
    }

    @Test func eachVoterVotesOnceInsideTheWindowAndGetsAReceipt() async throws {
        try await withTestDatabase { db in
            // given a household vote, open from t0+1h to t0+3h
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(basis: .households)
            // when 张三 votes before, during, at the close and after
            let early = w.commands(at: VoteWorld.t0)
            await #expect(throws: DomainError(.conflict, "vote_not_open")) {
                _ = try await early.cast(w.voters[0], v.id, .proposal(.yes))
            }
            let receipt = try await w.commands(at: Self.during).cast(w.voters[0], v.id, .proposal(.yes))
            // then a second ballot of the household, by him or by his wife, is refused
            await #expect(throws: DomainError(.conflict, "vote_already_cast", args: ["household:1", "online"])) {
                _ = try await w.commands(at: Self.during).cast(w.voters[0], v.id, .proposal(.no))
            }
            do {
                _ = try await w.commands(at: Self.during).cast(w.voters[1], v.id, .proposal(.no))
                Issue.record("a second ballot of the household was taken")
            } catch { #expect(key(error) == "vote_already_cast") }
            await #expect(throws: DomainError.invalid("poll_ballot_invalid", field: "ballot")) {
                _ = try await w.commands(at: Self.during).cast(w.voters[2], v.id, .choices([0]))
            }
            for instant in [Self.closing, Self.closing + 1] {
                await #expect(throws: DomainError(.conflict, "vote_closed")) {
                    _ = try await w.commands(at: instant).cast(w.voters[2], v.id, .proposal(.yes))
                }
            }
            // and someone outside the community cannot even see the vote
            await #expect(throws: DomainError.outsideJurisdiction) {
                _ = try await w.commands(at: Self.during).cast(w.deliberation.outsider, v.id, .proposal(.yes))
            }
            #expect(receipt.description.count == 21)
            let recount = try await w.store.recount(v.id, for: w.worker, now: Self.during)
            #expect(recount.participants == 1 && recount.poll.options[0].count == 1)
        }
    }

    @Test func aProxyCastsWithARecordedMandateUpToTheCap() async throws {
        try await withTestDatabase { db in
            // given a persons' vote allowing one mandate per proxy
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(proxies: ProxyRules(allowed: true, maxMandatesPerProxy: 1))
            let c = w.commands(at: Self.during)
            let day = CalendarDate(Self.during)
            // when 赵六 is given 张三's mandate, then 王五's as well
            try await c.perform(
                w.worker, v.id,
                .proxy(
                    ProxyMandate(
                        principal: .person(w.people[0]), proxyPersonID: w.people[3], document: "委托书 1 号", signedOn: day)
                ))
            await #expect(
                throws: DomainError.invalid(
                    "proxy_too_many_mandates", field: "proxy", args: ["person:\(w.people[3])", "1"])
            ) {
                try await c.perform(
                    w.worker, v.id,
                    .proxy(
                        ProxyMandate(
                            principal: .person(w.people[2]), proxyPersonID: w.people[3], document: "委托书 2 号",
                            signedOn: day)))
            }
            await #expect(
                throws: DomainError.invalid(
                    "proxy_document_required", field: "document", args: ["person:\(w.people[2])"])
            ) {
                try await c.perform(
                    w.worker, v.id,
                    .proxy(
                        ProxyMandate(
                            principal: .person(w.people[2]), proxyPersonID: w.people[1], document: " ", signedOn: day)))
            }
            // then 赵六 votes for 张三 and for himself; 张三 can no longer vote; 王五 cannot vote for 李四
            _ = try await c.cast(w.voters[3], v.id, .proposal(.yes), for: .person(w.people[0]))
            _ = try await c.cast(w.voters[3], v.id, .proposal(.no))
            await #expect(
                throws: DomainError(.conflict, "vote_already_cast", args: ["person:\(w.people[0])", "online"])
            ) {
                _ = try await c.cast(w.voters[0], v.id, .proposal(.no))
            }
            await #expect(
                throws: DomainError(.forbidden, "vote_proxy_mandate_missing", args: ["person:\(w.people[1])"])
            ) {
                _ = try await c.cast(w.voters[2], v.id, .proposal(.no), for: .person(w.people[1]))
            }
            let recount = try await w.store.recount(v.id, for: w.worker, now: Self.during)
            #expect(recount.participants == 2 && recount.byProxy == 1)
        }
    }

    @Test func paperBoxesAreCheckedSignedOffByTwoAndMergedWithOnlineBallots() async throws {
        try await withTestDatabase { db in
            // given 李四 and 王五 given paper ballots at box A, 张三 voting online
            let w = try await VoteWorld.make(db)
            let v = try await w.vote()
            let c = w.commands(at: Self.during)
            try await c.perform(w.worker, v.id, .issuePaper(voter: .person(w.people[1]), box: "A"))
            try await c.perform(w.worker, v.id, .issuePaper(voter: .person(w.people[2]), box: "A"))
            _ = try await c.cast(w.voters[0], v.id, .proposal(.yes))
            // when 王五 then tries online, and 张三 asks for paper
            await #expect(
                throws: DomainError(.conflict, "vote_already_cast", args: ["person:\(w.people[2])", "paper"])
            ) {
                _ = try await c.cast(w.voters[2], v.id, .proposal(.no))
            }
            await #expect(
                throws: DomainError(.conflict, "vote_already_cast", args: ["person:\(w.people[0])", "online"])
            ) {
                try await c.perform(w.worker, v.id, .issuePaper(voter: .person(w.people[0]), box: "A"))
            }
            // then box totals that do not add up are refused, each with its reason
            func box(_ issued: Int, _ returned: Int, _ marks: [Int], _ names: [String] = ["陈监票", "林监票"]) -> VoteCommand
            {
                .enterBox(
                    PaperBoxTotals(
                        box: "A", issued: issued, returned: returned, marks: marks, scrutineers: names,
                        tallySheetPhoto: nil))
            }
            let after = w.commands(at: Self.closing + 60)
            await #expect(throws: DomainError.invalid("paper_returned_exceeds_issued", field: "box", args: ["3", "2"]))
            {
                try await after.perform(w.worker, v.id, box(2, 3, [3, 0, 0]), photo: Self.photo)
            }
            await #expect(throws: DomainError.invalid("paper_issued_mismatch", field: "box", args: ["3", "2"])) {
                try await after.perform(w.worker, v.id, box(3, 3, [3, 0, 0]), photo: Self.photo)
            }
            await #expect(throws: DomainError.invalid("paper_scrutineers_required", field: "box")) {
                try await after.perform(w.worker, v.id, box(2, 2, [1, 1, 0], ["陈监票"]), photo: Self.photo)
            }
            await #expect(throws: DomainError.invalid("photo_not_image", field: "photo")) {
                try await after.perform(w.worker, v.id, box(2, 2, [1, 1, 0]), photo: [1, 2, 3])
            }
            try await after.perform(w.worker, v.id, box(2, 2, [1, 1, 0]), photo: Self.photo)
            // and the close waits for two different scrutineers' sign-off
            await #expect(throws: DomainError(.conflict, "vote_box_unsigned", args: ["A"])) {
                try await after.perform(w.worker, v.id, .close)
            }
            try await after.perform(w.worker, v.id, .signBox(box: "A"))
            await #expect(throws: DomainError(.conflict, "vote_box_same_scrutineer", field: "box")) {
                try await after.perform(w.worker, v.id, .signBox(box: "A"))
            }
            try await after.perform(w.secondWorker, v.id, .signBox(box: "A"))
            let closed = try await after.perform(w.worker, v.id, .close)
            let result = try #require(closed.result)
            #expect(result.participants == 3 && result.online == 1 && result.paper == 2)
            #expect(result.poll.ballots == 3 && result.poll.options.map(\.count) == [2, 1, 0])
            #expect(result.outcome?.passed == true)
            let recount = try await w.store.recount(v.id, for: w.worker, now: Self.closing + 120)
            #expect(recount == result)
            let outcome = try await w.store.outcome(v.id, for: w.worker, now: Self.closing + 120)
            #expect(outcome?.checks.first?.arithmetic == "2/3 = 66.7%")
        }
    }

    @Test func aSecretBallotKeepsWhoApartFromWhatAndHidesResultsUntilTheClose() async throws {
        try await withTestDatabase { db in
            // given a secret persons' vote in which three vote
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(secrecy: .secret, results: true)
            let c = w.commands(at: Self.during)
            var receipts: [ReceiptCode] = []
            for (i, choice) in [ProposalChoice.yes, .no, .yes].enumerated() {
                receipts.append(try await c.cast(w.voters[i], v.id, .proposal(choice)))
            }
            // then the choices hold no voter and no column that could name one
            let (columns, voters, count) = try await db.read { sql in
                let columns: [String]
                if db.backend == .sqlite {
                    columns = try await sql.raw("SELECT name FROM pragma_table_info('vote_choices') ORDER BY cid").all()
                        .map { try $0.decode(column: "name", as: String.self) }
                } else {
                    columns = try await sql.raw(
                        """
                        SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'vote_choices'
                        ORDER BY ordinal_position
                        """
                    ).all().map { try $0.decode(column: "name", as: String.self) }
                }
                let voters = try await sql.raw(
                    "SELECT COUNT(*) AS n FROM vote_choices WHERE vote_id = \(bind: v.id) AND voter_key IS NOT NULL"
                ).first()!.decode(column: "n", as: Int.self)
                let count = try await sql.raw("SELECT COUNT(*) AS n FROM vote_choices WHERE vote_id = \(bind: v.id)")
                    .first()!.decode(column: "n", as: Int.self)
                return (columns, voters, count)
            }
            #expect(columns == ["vote_id", "community_id", "receipt", "channel", "ballot", "voter_key"])
            #expect(voters == 0 && count == 3)
            if db.backend == .sqlite {
                // No hidden rowid that would follow the order of casting.
                await #expect(throws: (any Error).self) {
                    try await db.read { sql in try await sql.raw("SELECT rowid FROM vote_choices").run() }
                }
            }
            // and the audit log says that 张三 voted, never what
            let audit = try await db.read { sql in
                try await sql.raw("SELECT after_state FROM audit_log WHERE action = 'vote.cast'").all()
                    .map { try $0.decode(column: "after_state", as: String.self) }
            }
            #expect(audit == Array(repeating: #"{"channel":"online","proxy":"no"}"#, count: 3))
            // and while it runs nothing in the database says what was chosen: each choice is sealed with the key
            // outside it (a row's transaction id on PostgreSQL still matches its participation mark's)
            func storedBallots() async throws -> [String] {
                try await db.read { sql in
                    try await sql.raw("SELECT ballot FROM vote_choices WHERE vote_id = \(bind: v.id) ORDER BY receipt")
                        .all().map { try $0.decode(column: "ballot", as: String.self) }
                }
            }
            let running = try await storedBallots()
            #expect(running.count == 3 && running.allSatisfy { !$0.contains("proposal") && !$0.hasPrefix("{") })
            #expect(Set(running).count == 3)
            // and nobody sees the count before the close, residents not before it is published
            #expect(try await w.store.record(v.id, for: w.voters[0], now: Self.during).result == nil)
            #expect(try await w.store.record(v.id, for: w.worker, now: Self.during).result == nil)
            await #expect(throws: DomainError(.conflict, "vote_receipts_not_published")) {
                _ = try await w.store.checkReceipt(
                    v.id, code: receipts[0].description, for: w.voters[0], now: Self.during)
            }
            await #expect(throws: DomainError(.conflict, "secrecy_one_way")) {
                try await c.perform(w.worker, v.id, .secrecy(.open, resultsBeforeClose: true))
            }
            let after = w.commands(at: Self.closing)
            try await after.perform(w.worker, v.id, .close)
            #expect(try await storedBallots().allSatisfy { $0.hasPrefix("{") && $0.contains("proposal") })
            #expect(try await w.store.record(v.id, for: w.voters[0], now: Self.closing).result == nil)
            #expect(try await w.store.record(v.id, for: w.worker, now: Self.closing).result?.participants == 3)
            try await after.perform(w.worker, v.id, .publish)
            let published = try await w.store.record(v.id, for: w.voters[0], now: Self.closing)
            #expect(published.result?.poll.options.map(\.count) == [2, 1, 0])
            #expect(published.vote.publishedUntil == Self.closing + 30 * 86400)
            // and each voter finds their ballot by the receipt, typed loosely; a typo is caught
            let found = try await w.store.checkReceipt(
                v.id, code: receipts[1].description.lowercased(), for: w.voters[1], now: Self.closing)
            #expect(found?.ballot == .proposal(.no) && found?.voter == nil)
            let list = try await w.store.receipts(v.id, after: nil, for: w.voters[2], now: Self.closing)
            #expect(Set(list.map(\.receipt)) == Set(receipts))
            #expect(list.map(\.receipt.symbols) == list.map(\.receipt.symbols).sorted())
            var typo = Array(receipts[0].symbols)
            typo[3] = typo[3] == "A" ? "B" : "A"
            await #expect(throws: DomainError.invalid("vote_receipt_invalid", field: "code")) {
                _ = try await w.store.checkReceipt(v.id, code: String(typo), for: w.voters[0], now: Self.closing)
            }
        }
    }

    @Test func anOpenBallotGoingSecretForgetsWhoChoseWhat() async throws {
        try await withTestDatabase { db in
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(secrecy: .open, results: true)
            let c = w.commands(at: Self.during)
            _ = try await c.cast(w.voters[0], v.id, .proposal(.yes))
            // running results are shown for an open ballot that says so
            #expect(try await w.store.record(v.id, for: w.voters[1], now: Self.during).result?.participants == 1)
            let linked = try await db.read { sql in
                try await sql.raw("SELECT voter_key FROM vote_choices WHERE vote_id = \(bind: v.id)").first()!
                    .decode(column: "voter_key", as: String?.self)
            }
            #expect(linked == "person:\(w.people[0])")
            // when it goes secret
            try await c.perform(w.worker, v.id, .secrecy(.secret, resultsBeforeClose: false))
            _ = try await c.cast(w.voters[1], v.id, .proposal(.no))
            // then no choice names its voter, and the results are hidden again
            let named = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM vote_choices WHERE voter_key IS NOT NULL").first()!
                    .decode(column: "n", as: Int.self)
            }
            #expect(named == 0)
            #expect(try await w.store.record(v.id, for: w.voters[1], now: Self.during).result == nil)
        }
    }

    @Test func anOwnersPaperBallotsAreRecordedPerOwnerAndMergedWithTheOnlineOnes() async throws {
        try await withTestDatabase { db in
            // given an owners' vote on using the maintenance fund (more than half of area and heads): 张三 89.5,
            // 王五 89.5, 赵六 60 and 钱七 (no account) 120 m²
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(basis: .owners, secrecy: .open, matter: .useMaintenanceFund)
            let keys = try await db.read { sql in
                let byPerson = try await sql.raw(
                    "SELECT person_id, voter_key FROM vote_roll_casters WHERE vote_id = \(bind: v.id)"
                ).all().map {
                    (
                        try $0.decode(column: "person_id", as: Int64.self),
                        try $0.decode(column: "voter_key", as: String.self)
                    )
                }
                let qian = try await sql.raw(
                    "SELECT voter_key FROM vote_roll WHERE vote_id = \(bind: v.id) AND area_centi = 12000"
                ).first()!.decode(column: "voter_key", as: String.self)
                return (Dictionary(uniqueKeysWithValues: byPerson), qian)
            }
            func owner(_ stored: String?) throws -> VoterKey {
                .ownerHead(.owner(try #require(stored.flatMap { Int64($0.dropFirst("owner:".count)) })))
            }
            let zhang = try owner(keys.0[w.people[0]])
            let wang = try owner(keys.0[w.people[2]])
            let qian = try owner(keys.1)
            let c = w.commands(at: Self.during)
            // when 张三 and 赵六 vote online, 钱七 and 王五 sign for paper ballots at box 一号
            _ = try await c.cast(w.voters[0], v.id, .proposal(.yes))
            _ = try await c.cast(w.voters[3], v.id, .proposal(.no))
            try await c.perform(w.worker, v.id, .issuePaper(voter: qian, box: "一号"))
            try await c.perform(w.worker, v.id, .issuePaper(voter: wang, box: "一号"))
            // then each owner counts once across channels: no paper for who voted online, no online vote after paper
            await #expect(throws: DomainError.self) {
                try await c.perform(w.worker, v.id, .issuePaper(voter: zhang, box: "一号"))
            }
            await #expect(throws: DomainError.self) { _ = try await c.cast(w.voters[2], v.id, .proposal(.no)) }
            // and after the window each paper ballot is read into its owner's entry, with a reason for each refusal
            let after = w.commands(at: Self.closing + 60)
            func ballot(_ voter: VoterKey, _ mark: PaperMark, box: String = "一号") -> VoteCommand {
                .paperBallot(PaperOwnerBallot(voter: voter, box: box, mark: mark))
            }
            await #expect(
                throws: DomainError(.conflict, "vote_paper_ballot_voted_online", field: "voter", args: [zhang.label])
            ) {
                try await after.perform(w.worker, v.id, ballot(zhang, .yes))
            }
            await #expect(
                throws: DomainError.invalid("vote_paper_ballot_other_box", field: "box", args: [qian.label, "一号"])
            ) {
                try await after.perform(w.worker, v.id, ballot(qian, .yes, box: "二号"))
            }
            try await after.perform(w.worker, v.id, ballot(qian, .yes))
            await #expect(throws: DomainError(.conflict, "vote_paper_ballot_twice", field: "voter", args: [qian.label]))
            {
                try await after.perform(w.worker, v.id, ballot(qian, .no))
            }
            // 王五's ballot is first read in wrongly as no, then corrected with a reason (audited with both marks)
            try await after.perform(w.worker, v.id, ballot(wang, .no))
            await #expect(throws: DomainError.invalid("vote_paper_correction_reason_required", field: "reason")) {
                try await after.perform(
                    w.worker, v.id,
                    .correctPaperBallot(PaperOwnerBallot(voter: wang, box: "一号", mark: .blank), reason: " "))
            }
            await #expect(
                throws: DomainError.invalid("vote_paper_ballot_not_recorded", field: "voter", args: [zhang.label])
            ) {
                try await after.perform(
                    w.worker, v.id,
                    .correctPaperBallot(PaperOwnerBallot(voter: zhang, box: "一号", mark: .blank), reason: "看错"))
            }
            try await after.perform(
                w.worker, v.id,
                .correctPaperBallot(PaperOwnerBallot(voter: wang, box: "一号", mark: .blank), reason: "录入时看错了行"))
            let corrected = try await db.read { sql in
                try await sql.raw(
                    """
                    SELECT before_state, after_state FROM audit_log WHERE action = 'vote.correct_paper_ballot'
                      AND object_id = \(bind: "\(v.id)")
                    """
                ).first().map {
                    [
                        try $0.decode(column: "before_state", as: String.self),
                        try $0.decode(column: "after_state", as: String.self),
                    ]
                }
            }
            #expect(corrected == ["一号:no", "blank:录入时看错了行"])
            // the box's totals must be what its ballots say, and carry the checks, the photo and two sign-offs
            func box(_ returned: Int, blank: Int, _ marks: [Int]) -> VoteCommand {
                .enterBox(
                    PaperBoxTotals(
                        box: "一号", issued: 2, returned: returned, blank: blank, marks: marks,
                        scrutineers: ["陈监票", "林监票"], tallySheetPhoto: nil))
            }
            await #expect(
                throws: DomainError.invalid(
                    "paper_owner_box_mismatch", field: "box", args: ["一号", "2", "0", "1", "1, 0, 0"])
            ) {
                try await after.perform(w.worker, v.id, box(2, blank: 0, [2, 0, 0]), photo: Self.photo)
            }
            try await after.perform(w.worker, v.id, box(2, blank: 1, [1, 0, 0]), photo: Self.photo)
            await #expect(throws: DomainError(.conflict, "vote_box_unsigned", args: ["一号"])) {
                try await after.perform(w.worker, v.id, .close)
            }
            try await after.perform(w.worker, v.id, .signBox(box: "一号"))
            try await after.perform(w.secondWorker, v.id, .signBox(box: "一号"))
            // once signed off, the box's ballots are what its totals were checked against: no more corrections
            await #expect(throws: DomainError(.conflict, "vote_box_signed", field: "box", args: ["一号"])) {
                try await after.perform(
                    w.worker, v.id,
                    .correctPaperBallot(PaperOwnerBallot(voter: wang, box: "一号", mark: .no), reason: "再改"))
            }
            let closed = try await after.perform(w.worker, v.id, .close)
            // then the close merges both channels into the four numbers and two fractions: all 359 m² and 4 heads
            // took part; yes is 张三 online and 钱七 on paper, 209.5 m² but only 2 of 4 heads, not more than half
            let result = try #require(closed.result)
            #expect(result.participants == 4 && result.online == 2 && result.paper == 2)
            #expect(result.poll.options.map(\.count) == [2, 1, 0] && result.poll.blank == 1)
            let outcome = try #require(result.outcome)
            #expect(
                outcome.checks.map(\.arithmetic) == [
                    "359/359 m² = 100.0%", "4/4 = 100.0%", "209.5/359 m² = 58.4%", "2/4 = 50.0%",
                ])
            #expect(outcome.failures.map(\.kind) == [.consentHeads])
            // and a recount from every row through the domain gives the same result
            #expect(try await w.store.recount(v.id, for: w.worker, now: Self.closing + 120) == result)
        }
    }

    @Test func anOwnersVoteIsDecidedByAreaAndHeadsWithItsArithmetic() async throws {
        try await withTestDatabase { db in
            // given the owners: 张三 89.5, 王五 89.5, 赵六 60 and 钱七 (no account) 120 m²; a rebuild needs 3/4
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(basis: .owners, secrecy: .open)
            let c = w.commands(at: Self.during)
            // when three of them vote; 李四 owns nothing
            _ = try await c.cast(w.voters[0], v.id, .proposal(.yes))
            _ = try await c.cast(w.voters[2], v.id, .proposal(.yes))
            _ = try await c.cast(w.voters[3], v.id, .proposal(.no))
            await #expect(throws: DomainError(.forbidden, "vote_not_on_roll")) {
                _ = try await c.cast(w.voters[1], v.id, .proposal(.yes))
            }
            await #expect(throws: DomainError.invalid("vote_owners_secret_not_offered", field: "secrecy")) {
                try await c.perform(w.worker, v.id, .secrecy(.secret, resultsBeforeClose: false))
            }
            let closed = try await w.commands(at: Self.closing).perform(w.worker, v.id, .close)
            // then 239 of 359 m² took part: just under 2/3, so nothing is decided, whatever the heads
            let outcome = try #require(closed.result?.outcome)
            #expect(
                outcome.checks.map(\.arithmetic) == [
                    "239/359 m² = 66.6%", "3/4 = 75.0%", "179/239 m² = 74.9%", "2/3 = 66.7%",
                ])
            #expect(outcome.failures.map(\.kind) == [.participationArea, .consentArea, .consentHeads])
            #expect(try await w.store.outcome(v.id, for: w.worker, now: Self.closing) == outcome)
        }
    }

    @Test func concurrentBallotsAreCountedExactlyOnceAndMatchARecount() async throws {
        try await withTestDatabase { db in
            // given a secret persons' vote with a proxy: 赵六 holds 王五's mandate
            let w = try await VoteWorld.make(db)
            let v = try await w.vote(proxies: ProxyRules(allowed: true, maxMandatesPerProxy: 2))
            let c = w.commands(at: Self.during)
            try await c.perform(
                w.worker, v.id,
                .proxy(
                    ProxyMandate(
                        principal: .person(w.people[2]), proxyPersonID: w.people[3], document: "委托书",
                        signedOn: CalendarDate(Self.during))))
            // when every voter casts five times at once, the proxy for 王五 as 王五 does too, and ballots arrive at
            // the closing instant
            let voters = w.voters
            let principal = VoterKey.person(w.people[2])
            let closingCommands = w.commands(at: Self.closing)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for round in 0..<5 {
                    for (i, voter) in voters.enumerated() {
                        group.addTask {
                            do {
                                _ = try await c.cast(voter, v.id, .proposal(round % 2 == 0 ? .yes : .no))
                                return "ok"
                            } catch let error as DomainError { return error.key }
                        }
                        if i == 3 {
                            group.addTask {
                                do {
                                    _ = try await c.cast(voter, v.id, .proposal(.abstain), for: principal)
                                    return "ok"
                                } catch let error as DomainError { return error.key }
                            }
                        }
                    }
                    group.addTask {
                        do {
                            _ = try await closingCommands.cast(voters[1], v.id, .proposal(.yes))
                            return "ok"
                        } catch let error as DomainError { return error.key }
                    }
                }
                var out: [String] = []
                for try await o in group { out.append(o) }
                return out
            }
            // then four ballots were taken: one per voter, whoever cast 王五's first
            #expect(outcomes.filter { $0 == "ok" }.count == 4)
            #expect(outcomes.filter { $0 == "vote_closed" }.count == 5)
            #expect(
                outcomes.filter { !["ok", "vote_closed", "vote_already_cast", "vote_already_cast_now"].contains($0) }
                    .isEmpty)
            let closed = try await w.commands(at: Self.closing).perform(w.worker, v.id, .close)
            let rows = try await db.read { sql in
                (
                    try await sql.raw("SELECT COUNT(*) AS n FROM vote_participation WHERE vote_id = \(bind: v.id)")
                        .first()!.decode(column: "n", as: Int.self),
                    try await sql.raw("SELECT ballot FROM vote_choices WHERE vote_id = \(bind: v.id)").all()
                        .map { try $0.decode(column: "ballot", as: String.self) }
                )
            }
            #expect(rows.0 == 4 && rows.1.count == 4)
            let result = try #require(closed.result)
            #expect(result.participants == 4 && result.poll.ballots == 4)
            let byChoice = ProposalChoice.allCases.map { choice in
                rows.1.filter { $0.contains("\"\(choice.rawValue)\"") }.count
            }
            #expect(result.poll.options.map(\.count) == byChoice)
            #expect(try await w.store.recount(v.id, for: w.worker, now: Self.closing) == result)
        }
    }
}
