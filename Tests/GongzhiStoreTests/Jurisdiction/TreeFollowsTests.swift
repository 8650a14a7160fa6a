import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import SQLKit
import Testing

/// What hangs on the tree follows its changes: cases (their path, community and grid), their side rows, residents'
/// homes, role grants and units.
extension JurisdictionCommandsTests {
    @Test func aMovedCommunitysCasesStayWithItsWorkersAndChangeSubdistrict() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let tree = w.tree
            let b = try await JurisdictionCommands(db: db).add(
                .root, .subdistrict, "南山街道", code: "440305002", under: tree.district.id)
            let adminA = try await Self.staff(db, "admina", .subdistrictAdmin, tree.subdistrict)
            let adminB = try await Self.staff(db, "adminb", .subdistrictAdmin, b)
            let s = try await w.submit()
            _ = try await w.commands().perform(w.worker, s.id, .file(categoryID: w.category.id))
            // when
            let moved = try await JurisdictionCommands(db: db).perform(.root, tree.community.id, .move(to: b.id)).node
            // then
            #expect(moved.path == b.path + "\(tree.community.id)/")
            let worker = try #require(try await AccountStore(db: db).actor(for: w.worker.userID))
            let store = CaseStore(db: db)
            #expect(try await store.list(CaseFilter(scope: .area), for: worker).map(\.id) == [s.id])
            // A's units are another jurisdiction's now; B's serve the moved community.
            await #expect(throws: DomainError.invalid("unit_not_usable", field: "unit")) {
                _ = try await w.commands().perform(worker, s.id, .dispatch(unitID: nil))
            }
            let unitB = try await CaseSetup(db: db).createUnit(.root, nodeID: b.id, name: "南山城建办")
            let dispatched = try await w.commands().perform(worker, s.id, .dispatch(unitID: unitB.id))
            #expect(dispatched.status == .dispatched)
            #expect(try await store.list(CaseFilter(scope: .area), for: adminA).isEmpty)
            #expect(try await store.list(CaseFilter(scope: .area), for: adminB).map(\.id) == [s.id])
            #expect(
                try await store.record(s.id, for: .root, now: CaseWorld.t0).path == moved.path
                    + "\(tree.grid1.id)/\(tree.buildings[0].id)/")
            #expect(try await Self.strays(db) == [:])
        }
    }

    @Test func aGridMovedToAnotherCommunityTakesItsCasesSideRowsResidentsGrantsAndUnits() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let tree = w.tree
            let accounts = AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4))
            let user = try await accounts.signUpResident(
                username: "resident3", displayName: "三栋居民", password: "correct horse battery staple",
                buildingID: tree.buildings[2].id)
            let resident = try #require(try await AccountStore(db: db).actor(for: user.id))
            let gridWorker = try await Self.staff(db, "grid2worker", .gridWorker, tree.grid2)
            let unit = try await CaseSetup(db: db).createUnit(.root, nodeID: tree.grid2.id, name: "第二网格物业")
            let c = w.commands()
            let appeal = try await c.submit(
                resident,
                CaseSubmission(
                    title: "电梯故障", description: "3栋电梯停运", categoryID: w.category.id,
                    nodeID: tree.buildings[2].id))
            _ = try await c.perform(w.worker, appeal.id, .file(categoryID: w.category.id))
            _ = try await c.perform(w.worker, appeal.id, .gridStep(.referToDeliberation, note: "需议事会决定"))
            _ = try await c.perform(w.worker, appeal.id, .addPhoto(bytes: Self.png))
            let dispatched = try await c.perform(w.worker, appeal.id, .dispatch(unitID: nil))
            _ = try await c.perform(
                w.handler, appeal.id,
                .requestExtension(until: dispatched.resolveBy!.addingTimeInterval(86400), reason: "等配件"))
            var d = CaseSubmission(
                kind: .dispute, channel: .hotline, title: "漏水纠纷", description: "楼上漏水", nodeID: tree.buildings[3].id)
            d.disputeGrade = .ordinary
            let dispute = try await c.submit(w.worker, d)
            _ = try await c.perform(w.worker, dispute.id, .file(categoryID: nil))
            _ = try await c.perform(
                w.worker, dispute.id,
                .mediate(
                    MediationSession(
                        at: CaseWorld.t0, method: .people, mediator: "调委会", parties: "301户、401户", summary: "现场查看",
                        agreement: "401户修复防水", outcome: .agreed)))
            // when
            _ = try await JurisdictionCommands(db: db).perform(.root, tree.grid2.id, .move(to: tree.otherCommunity.id))
                .node
            // then
            let other = tree.otherCommunity.id
            for table in [
                "case_events", "case_photos", "mediation_sessions", "case_extension_requests", "case_grid_steps",
                "notifications",
            ] {
                let counts = try await db.read { sql in
                    try await sql.raw(
                        """
                        SELECT COUNT(*) AS n, SUM(CASE WHEN community_id = \(bind: other) THEN 1 ELSE 0 END) AS moved
                        FROM \(unsafeRaw: table) WHERE case_id IN (\(bind: appeal.id), \(bind: dispute.id))
                        """
                    ).first().map {
                        (try $0.decode(column: "n", as: Int.self), try $0.decode(column: "moved", as: Int?.self) ?? 0)
                    }
                }
                #expect(counts?.0 ?? 0 > 0, "\(table) has rows")
                #expect(counts?.0 == counts?.1, "\(table) follows")
            }
            let store = CaseStore(db: db)
            #expect(try await store.find(appeal.id)?.communityID == other)
            #expect(try await AccountStore(db: db).user(user.id)?.communityID == other)
            #expect(try await CaseSetupStore.units(db).first { $0.id == unit.id }?.communityID == other)
            let otherWorker = try await Self.staff(db, "otherworker", .communityWorker, tree.otherCommunity)
            #expect(
                Set(try await store.list(CaseFilter(scope: .area), for: otherWorker).map(\.id)) == [
                    appeal.id, dispute.id,
                ])
            #expect(try await store.list(CaseFilter(scope: .area), for: w.worker).isEmpty)
            let movedGridWorker = try #require(try await AccountStore(db: db).actor(for: gridWorker.userID))
            #expect(try await store.list(CaseFilter(scope: .area), for: movedGridWorker).count == 2)
            #expect(try await Self.strays(db) == [:])
        }
    }

    @Test func aBuildingMovedToAnotherGridTakesItsCasesGrid() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let s = try await w.submit()
            // when
            _ = try await JurisdictionCommands(db: db).perform(
                .root, w.tree.buildings[0].id, .move(to: w.tree.grid2.id)
            ).node
            // then
            var filter = CaseFilter(scope: .area)
            filter.gridID = w.tree.grid2.id
            #expect(try await CaseStore(db: db).all(filter).map(\.id) == [s.id])
            #expect(try await Self.strays(db) == [:])
        }
    }

    @Test func aSplitSendsCasesToTheirBuildingsGridAndEndsTheGridsGrants() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let tree = w.tree
            let head = try await Self.staff(db, "head2", .buildingHead, tree.buildings[1])
            let atBuilding = try await w.commands().submit(
                head,
                CaseSubmission(
                    title: "楼道堆物", description: "2栋楼道堆满杂物",
                    nodeID: tree.buildings[1].id))
            let atGrid = try await w.commands().submit(
                w.gridWorker,
                CaseSubmission(
                    channel: .patrol, title: "井盖缺失", description: "网格内道路",
                    nodeID: tree.grid1.id))
            // when
            let (east, west) = try await JurisdictionCommands(db: db).perform(
                .root, tree.grid1.id,
                .splitGrid(
                    firstName: "第一网格东", secondName: "第一网格西",
                    assignment: [tree.buildings[0].id: .first, tree.buildings[1].id: .second])
            ).halves
            // then
            let store = CaseStore(db: db)
            var filter = CaseFilter(scope: .area)
            filter.gridID = west.id
            #expect(try await store.all(filter).map(\.id) == [atBuilding.id])
            let moved = try #require(try await store.find(atGrid.id))
            #expect(moved.nodeID == tree.community.id)
            #expect(try await AccountStore(db: db).grants(of: w.gridWorker.userID).isEmpty)
            let headGrants = try await AccountStore(db: db).grants(of: head.userID)
            #expect(headGrants.map(\.nodePath) == [west.path + "\(tree.buildings[1].id)/"])
            let home = try #require(try await AccountStore(db: db).user(w.resident.userID)?.homeNodeID)
            #expect(try await JurisdictionStore(db: db).node(home)?.parentID == east.id)
            #expect(
                try await JurisdictionStore(db: db).history(of: tree.grid1.id).map(\.action).contains("grant_ended"))
            #expect(try await Self.auditActions(db).contains("role.end"))
            #expect(try await Self.strays(db) == [:])
            let chain = try await AuditLog.verify(db)
            #expect({ if case .intact = chain { true } else { false } }())
        }
    }

    @Test func aMergeMovesTheGridsGrantsAndCasesToTheMergedGrid() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let tree = w.tree
            _ = try await AccountCommands(db: db).perform(
                .root, w.gridWorker.userID, .grant(.gridWorker, nodeID: tree.grid2.id))
            let second = try await Self.staff(db, "grid2worker", .gridWorker, tree.grid2)
            let atGrid = try await w.commands().submit(
                w.gridWorker,
                CaseSubmission(
                    channel: .patrol, title: "井盖缺失", description: "网格内道路",
                    nodeID: tree.grid1.id))
            let atBuilding = try await w.commands().submit(
                second,
                CaseSubmission(
                    channel: .patrol, title: "外墙脱落", description: "3栋外墙",
                    nodeID: tree.buildings[2].id))
            // when
            let merged = try await JurisdictionCommands(db: db).perform(
                .root, tree.grid1.id, .mergeGrids(with: tree.grid2.id, name: "合并网格")
            ).landing
            // then
            let accounts = AccountStore(db: db)
            #expect(try await accounts.grants(of: w.gridWorker.userID).map(\.nodeID) == [merged.id])
            #expect(try await accounts.grants(of: second.userID).map(\.nodeID) == [merged.id])
            var filter = CaseFilter(scope: .area)
            filter.gridID = merged.id
            #expect(Set(try await CaseStore(db: db).all(filter).map(\.id)) == [atGrid.id, atBuilding.id])
            #expect(try await CaseStore(db: db).find(atGrid.id)?.nodeID == merged.id)
            let reloaded = try #require(try await accounts.actor(for: second.userID))
            #expect(
                Set(try await CaseStore(db: db).list(CaseFilter(scope: .area), for: reloaded).map(\.id)) == [
                    atGrid.id, atBuilding.id,
                ])
            #expect(
                try await JurisdictionStore(db: db).history(of: tree.grid2.id).map(\.action).contains("grant_moved"))
            let audit = try await Self.auditActions(db)
            #expect(audit.filter { $0 == "role.move" }.count == 2)
            #expect(audit.filter { $0 == "role.end" }.count == 1)
            #expect(try await Self.strays(db) == [:])
        }
    }

    @Test func aSplitThatFailsHalfWayLeavesCasesAndGrantsAsTheyWere() async throws {
        try await withTestDatabase { db in
            // given
            let w = try await CaseWorld.make(db)
            let tree = w.tree
            let s = try await w.submit()
            let before = try await Self.placeOf(db, s.id)
            // The grid's grant ends after its cases were carried: make that step fail.
            try await db.read { sql in
                switch db.backend {
                case .sqlite:
                    try await sql.raw(
                        """
                        CREATE TRIGGER fail_grant_ended BEFORE INSERT ON node_history WHEN NEW.action = 'grant_ended'
                        BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                        """
                    ).run()
                case .postgres:
                    try await sql.raw(
                        """
                        CREATE FUNCTION fail_grant_ended() RETURNS trigger AS $$ BEGIN
                        IF NEW.action = 'grant_ended' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql
                        """
                    ).run()
                    try await sql.raw(
                        """
                        CREATE TRIGGER fail_grant_ended BEFORE INSERT ON node_history FOR EACH ROW EXECUTE FUNCTION fail_grant_ended()
                        """
                    ).run()
                }
            }
            // when
            await #expect(throws: (any Error).self) {
                _ = try await JurisdictionCommands(db: db).perform(
                    .root, tree.grid1.id,
                    .splitGrid(
                        firstName: "第一网格东", secondName: "第一网格西",
                        assignment: [tree.buildings[0].id: .first, tree.buildings[1].id: .second])
                ).halves
            }
            // then
            #expect(try await Self.placeOf(db, s.id) == before)
            #expect(try await AccountStore(db: db).grants(of: w.gridWorker.userID).map(\.nodeID) == [tree.grid1.id])
            #expect(try await JurisdictionStore(db: db).node(tree.grid1.id)?.isOpen == true)
            #expect(try await JurisdictionStore(db: db).children(of: tree.community.id).count == 2)
        }
    }

    @Test func migration20RepairsCopiesThatEarlierMovesLeftBehind() async throws {
        try await withTestDatabase { db in
            // given: a grid moved to another community, with the copies as moves before the fix left them
            let w = try await CaseWorld.make(db)
            let tree = w.tree
            let user = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4)).signUpResident(
                username: "resident3", displayName: "三栋居民", password: "correct horse battery staple",
                buildingID: tree.buildings[2].id)
            let resident = try #require(try await AccountStore(db: db).actor(for: user.id))
            let s = try await w.commands().submit(
                resident, CaseSubmission(title: "电梯故障", description: "3栋电梯停运", nodeID: tree.buildings[2].id))
            _ = try await Self.staff(db, "grid2worker", .gridWorker, tree.grid2)
            _ = try await JurisdictionCommands(db: db).perform(.root, tree.grid2.id, .move(to: tree.otherCommunity.id))
                .node
            let old = tree.community.id
            try await db.read { sql in
                for statement: SQLQueryString in [
                    "UPDATE cases SET node_path = \(bind: tree.buildings[2].path), community_id = \(bind: old) WHERE id = \(bind: s.id)",
                    "UPDATE case_events SET community_id = \(bind: old) WHERE case_id = \(bind: s.id)",
                    "UPDATE notifications SET community_id = \(bind: old) WHERE case_id = \(bind: s.id)",
                    "UPDATE users SET community_id = \(bind: old) WHERE id = \(bind: user.id)",
                    "UPDATE role_grants SET community_id = \(bind: old) WHERE node_id = \(bind: tree.grid2.id)",
                    "DELETE FROM schema_migrations WHERE version = 20",
                    "DROP INDEX users_home",
                    "DROP INDEX notifications_case",
                ] { try await sql.raw(statement).run() }
            }
            let stale = Set(try await Self.strays(db).keys)
            // (side rows agree with their stale case; they show up once the case is repaired)
            #expect(stale == ["cases.node_path", "cases.community_id", "users.community_id", "role_grants"])
            // when
            let applied = try await Migrator().migrate(db)
            // then
            #expect(applied == [20])
            #expect(try await Self.strays(db) == [:])
        }
    }

    // MARK: - helpers

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]

    static func staff(_ db: Database, _ name: String, _ role: Role, _ node: Node) async throws -> Actor {
        let user = try await AccountCommands(db: db, settings: AccountSettings(bcryptCost: 4)).createUser(
            .root, username: name, displayName: name, password: "correct horse battery staple", role: role,
            nodeID: node.id)
        return try #require(try await AccountStore(db: db).actor(for: user.id))
    }

    static func placeOf(_ db: Database, _ caseID: Int64) async throws -> [String] {
        try await db.read { sql in
            let row = try #require(
                try await sql.raw(
                    "SELECT node_id, node_path, community_id, grid_id FROM cases WHERE id = \(bind: caseID)"
                ).first())
            return [
                "\(try row.decode(column: "node_id", as: Int64.self))",
                try row.decode(column: "node_path", as: String.self),
                "\(try row.decode(column: "community_id", as: Int64.self))",
                "\(try row.decode(column: "grid_id", as: Int64?.self) ?? -1)",
            ]
        }
    }

    static func auditActions(_ db: Database) async throws -> [String] {
        try await db.read { sql in
            try await sql.raw("SELECT action FROM audit_log ORDER BY seq").all().map {
                try $0.decode(column: "action", as: String.self)
            }
        }
    }

    /// Rows whose copy of their place disagrees with the tree, by check: cases whose path, community or grid differ
    /// from their node's, side rows whose community differs from their case's, people, grants and units whose
    /// community differs from their node's, and grants or homes left on a closed node.
    static func strays(_ db: Database) async throws -> [String: Int] {
        let checks: [(String, String)] =
            [
                (
                    "cases.node_path",
                    "SELECT COUNT(*) AS n FROM cases c JOIN nodes n ON n.id = c.node_id WHERE c.node_path <> n.path"
                ),
                (
                    "cases.community_id",
                    "SELECT COUNT(*) AS n FROM cases c JOIN nodes n ON n.id = c.node_id WHERE c.community_id <> n.community_id"
                ),
                (
                    "cases.grid_id",
                    """
                    SELECT COUNT(*) AS n FROM cases c JOIN nodes n ON n.id = c.node_id
                    WHERE COALESCE(c.grid_id, -1) <> CASE n.kind WHEN 'grid' THEN n.id WHEN 'building' THEN n.parent_id ELSE -1 END
                    """
                ),
                (
                    "cases.node_id closed",
                    "SELECT COUNT(*) AS n FROM cases c JOIN nodes n ON n.id = c.node_id WHERE n.closed_at IS NOT NULL"
                ),
                (
                    "users.community_id",
                    """
                    SELECT COUNT(*) AS n FROM users u JOIN nodes n ON n.id = u.home_node_id
                    WHERE COALESCE(u.community_id, -1) <> COALESCE(n.community_id, -1) OR n.closed_at IS NOT NULL
                    """
                ),
                (
                    "role_grants",
                    """
                    SELECT COUNT(*) AS n FROM role_grants g JOIN nodes n ON n.id = g.node_id
                    WHERE COALESCE(g.community_id, -1) <> COALESCE(n.community_id, -1) OR n.closed_at IS NOT NULL
                    """
                ),
                (
                    "units.community_id",
                    """
                    SELECT COUNT(*) AS n FROM units x JOIN nodes n ON n.id = x.node_id WHERE COALESCE(x.community_id, -1) <> COALESCE(n.community_id, -1)
                    """
                ),
            ]
            + [
                "case_events", "case_photos", "mediation_sessions", "case_extension_requests", "case_grid_steps",
                "notifications",
            ].map { table in
                (
                    "\(table).community_id",
                    "SELECT COUNT(*) AS n FROM \(table) t JOIN cases c ON c.id = t.case_id WHERE t.community_id <> c.community_id"
                )
            }
        return try await db.read { sql in
            var out: [String: Int] = [:]
            for (name, query) in checks {
                let n = try await sql.raw(SQLQueryString(query)).first()!.decode(column: "n", as: Int.self)
                if n > 0 { out[name] = n }
            }
            return out
        }
    }
}
