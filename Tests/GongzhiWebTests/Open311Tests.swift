import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite struct Open311Tests {
    func setUp(_ fixture: WebFixture) async throws -> (CaseCategory, String) {
        let resident = try await fixture.signUpWang()
        let actor = try #require(try await AccountStore(db: fixture.db).actor(for: resident.id))
        let (_, key) = try await AccountCommands(db: fixture.db).createToken(actor, name: "open311")
        let setup = CaseSetup(db: fixture.db)
        let parent = try await setup.createCategory(
            .root, nodeID: fixture.tree.district.id, parentID: nil, name: "公共设施")
        let category = try await setup.createCategory(
            .root, nodeID: fixture.tree.district.id, parentID: parent.id, name: "路灯照明")
        return (category, key)
    }

    @Test func discoveryAndServicesInJSONAndXML() async throws {
        try await WebFixture.run { fixture, client in
            let (category, _) = try await setUp(fixture)
            let discovery = try await client.execute(uri: "/open311/v2/discovery.json", method: .get)
            #expect(String(buffer: discovery.body).contains("GeoReport_v2"))
            let services = try await client.execute(
                uri: "/open311/v2/services.json?jurisdiction_id=\(fixture.tree.community.id)", method: .get)
            let list = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: services.body).utf8)) as? [[String: Any]])
            #expect(list.map { $0["service_code"] as? String } == ["\(category.id)"])
            #expect(list.first?["group"] as? String == "公共设施")
            let xml = try await client.execute(uri: "/open311/v2/services.xml", method: .get)
            #expect(xml.headers[.contentType]?.hasPrefix("text/xml") == true)
            #expect(String(buffer: xml.body).contains("<services><service><service_code>\(category.id)</service_code>"))
        }
    }

    @Test func createThenReadBackWithoutTheReportersName() async throws {
        try await WebFixture.run { fixture, client in
            let (category, key) = try await setUp(fixture)
            let body =
                "api_key=\(key)&service_code=\(category.id)&jurisdiction_id=\(fixture.tree.community.id)"
                + "&address_id=\(fixture.tree.buildings[0].id)&lat=22.53&long=113.93&description="
                + ("路灯不亮，晚上很黑".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            let created = try await client.execute(
                uri: "/open311/v2/requests.json", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
            #expect(created.status == .created)
            let answer = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [[String: Any]])
            let id = try #require(answer.first?["service_request_id"] as? String)
            let one = try await client.execute(uri: "/open311/v2/requests/\(id).json", method: .get)
            let request = try #require(
                (try JSONSerialization.jsonObject(with: Data(String(buffer: one.body).utf8)) as? [[String: Any]])?.first
            )
            #expect(request["status"] as? String == "open")
            #expect(request["lat"] as? Double == 22.53)
            #expect(request["service_code"] as? String == "\(category.id)")
            #expect(!String(buffer: one.body).contains("wang"))
            let list = try await client.execute(uri: "/open311/v2/requests.xml?status=open", method: .get)
            #expect(String(buffer: list.body).contains("<service_request_id>\(id)</service_request_id>"))
            let token = try await client.execute(uri: "/open311/v2/tokens/\(id).json", method: .get)
            #expect(String(buffer: token.body).contains(id))
        }
    }

    @Test func errorsUseTheOpen311Shape() async throws {
        try await WebFixture.run { fixture, client in
            let (category, _) = try await setUp(fixture)
            let noKey = try await client.execute(
                uri: "/open311/v2/requests.json", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "service_code=\(category.id)&description=x"))
            #expect(noKey.status == .forbidden)
            let errors = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: noKey.body).utf8)) as? [[String: Any]])
            #expect(errors.first?["code"] as? String == "403")
            let missing = try await client.execute(uri: "/open311/v2/requests/GZ0-000000.xml", method: .get)
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("<errors><error><code>404</code>"))
            #expect(try await CaseStore(db: fixture.db).all().isEmpty)
        }
    }

    // MARK: - helpers

    func post(
        _ client: any TestClientProtocol, _ body: String, format: String = "json"
    ) async throws -> (HTTPResponse.Status, String) {
        let r = try await client.execute(
            uri: "/open311/v2/requests.\(format)", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
        return (r.status, String(buffer: r.body))
    }

    func list(_ client: any TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, [[String: Any]]) {
        let r = try await client.execute(uri: uri, method: .get)
        return (
            r.status,
            (try? JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8)) as? [[String: Any]]) ?? []
        )
    }

    func createdID(_ body: String) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [[String: Any]])?.first?["service_request_id"]
            as? String
    }

    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    func place(_ fixture: WebFixture, _ node: Node, _ lat: Double, _ lng: Double) async throws {
        try await fixture.db.transaction { sql in
            try await sql.raw(
                "UPDATE nodes SET latitude = \(bind: lat), longitude = \(bind: lng) WHERE id = \(bind: node.id)"
            ).run()
        }
    }

    // MARK: - location

    @Test func aPointAloneIsPlacedAtTheNearestBuildingOrRefused() async throws {
        try await WebFixture.run { fixture, client in
            let (category, key) = try await setUp(fixture)
            try await place(fixture, fixture.tree.buildings[0], 22.5400, 113.9300)
            try await place(fixture, fixture.tree.buildings[1], 22.5500, 113.9300)
            // About 110 m north of the first building, 1 km from the second.
            let (status, body) = try await post(
                client, "api_key=\(key)&service_code=\(category.id)&lat=22.5410&long=113.9300&description=x")
            #expect(status == .created)
            let number = try #require(createdID(body))
            let placed = try #require(try await CaseStore(db: fixture.db).all().first { $0.number == number })
            #expect(placed.nodeID == fixture.tree.buildings[0].id)
            #expect(placed.latitude == 22.5410)
            // Nearer the second building.
            let (_, second) = try await post(
                client, "api_key=\(key)&service_code=\(category.id)&lat=22.5480&long=113.9301&description=y")
            let other = try #require(try await CaseStore(db: fixture.db).all().first { $0.number == createdID(second) })
            #expect(other.nodeID == fixture.tree.buildings[1].id)
            // Far from every building: outside, with an Open311 error list.
            let (far, farBody) = try await post(
                client, "api_key=\(key)&service_code=\(category.id)&lat=22.6000&long=113.9300&description=z")
            #expect(far == .badRequest)
            let errors = try #require(try JSONSerialization.jsonObject(with: Data(farBody.utf8)) as? [[String: Any]])
            #expect(errors.first?["code"] as? String == "400")
            #expect((errors.first?["description"] as? String)?.contains("500") == true)
            // A building named exactly, inside the jurisdiction.
            let (named, namedBody) = try await post(
                client,
                "api_key=\(key)&service_code=\(category.id)&jurisdiction_id=\(fixture.tree.community.id)"
                    + "&address_string=\(Self.encoded("3栋"))&description=w")
            #expect(named == .created)
            let third = try #require(
                try await CaseStore(db: fixture.db).all().first { $0.number == createdID(namedBody) })
            #expect(third.nodeID == fixture.tree.buildings[2].id)
            // No location at all is refused.
            let (none, _) = try await post(
                client,
                "api_key=\(key)&service_code=\(category.id)&jurisdiction_id=\(fixture.tree.community.id)&description=v")
            #expect(none == .badRequest)
            #expect(try await CaseStore(db: fixture.db).all().count == 3)
        }
    }

    @Test func nearestBuildingLooksOnlyInsideTheSubtreeAndWithinTheDistance() async throws {
        try await WebFixture.run { fixture, _ in
            try await place(fixture, fixture.tree.buildings[0], 22.5400, 113.9300)
            try await place(fixture, fixture.tree.buildings[3], 22.5402, 113.9300)
            let store = JurisdictionStore(db: fixture.db)
            #expect(
                try await store.nearestBuilding(lat: 22.5401, lng: 113.9300, within: 500)?.id
                    == fixture.tree.buildings[0].id)
            #expect(
                try await store.nearestBuilding(
                    lat: 22.5401, lng: 113.9300, within: 500, inside: fixture.tree.grid2.path)?.id
                    == fixture.tree.buildings[3].id)
            #expect(
                try await store.nearestBuilding(
                    lat: 22.5401, lng: 113.9300, within: 500, inside: fixture.tree.otherCommunity.path) == nil)
            #expect(try await store.nearestBuilding(lat: 22.5450, lng: 113.9300, within: 500) == nil)
            #expect(
                try await store.nearestBuilding(lat: 22.5450, lng: 113.9300, within: 600)?.id
                    == fixture.tree.buildings[3].id)
        }
    }

    // MARK: - lists

    @Test func listsCarryServiceCodesAndReadEmptyAndCommaSeparatedArguments() async throws {
        try await WebFixture.run { fixture, client in
            let (lights, key) = try await setUp(fixture)
            let parent = try #require(lights.parentID)
            let rubbish = try await CaseSetup(db: fixture.db).createCategory(
                .root, nodeID: fixture.tree.district.id, parentID: parent, name: "垃圾清运")
            for category in [lights, rubbish] {
                let (status, _) = try await post(
                    client,
                    "api_key=\(key)&service_code=\(category.id)&address_id=\(fixture.tree.buildings[0].id)&description=x"
                )
                #expect(status == .created)
            }
            let (_, all) = try await list(
                client, "/open311/v2/requests.json?status=&service_code=&start_date=&jurisdiction_id=")
            #expect(Set(all.compactMap { $0["service_code"] as? String }) == ["\(lights.id)", "\(rubbish.id)"])
            let (_, both) = try await list(
                client, "/open311/v2/requests.json?service_code=\(lights.id),\(rubbish.id)&status=open,closed")
            #expect(both.count == 2)
            let (_, one) = try await list(client, "/open311/v2/requests.json?service_code=\(rubbish.id)&status=open")
            #expect(one.map { $0["service_code"] as? String } == ["\(rubbish.id)"])
            let (_, closed) = try await list(client, "/open311/v2/requests.json?status=closed")
            #expect(closed.isEmpty)
            let xml = try await client.execute(uri: "/open311/v2/requests.xml", method: .get)
            #expect(String(buffer: xml.body).components(separatedBy: "<service_code>").count == 3)
            for uri in [
                "/open311/v2/services.json?jurisdiction_id=999999", "/open311/v2/requests.json?jurisdiction_id=nosuch",
            ] {
                let (status, errors) = try await list(client, uri)
                #expect(status == .notFound)
                #expect(errors.first?["code"] as? String == "404")
            }
        }
    }

    @Test func listsAreFilteredBeforeTheLimitWithinNinetyDaysAndPaged() async throws {
        try await WebFixture.run { fixture, client in
            let (lights, key) = try await setUp(fixture)
            var numbers: [String] = []
            for i in 0..<4 {
                let (_, body) = try await post(
                    client,
                    "api_key=\(key)&service_code=\(lights.id)&address_id=\(fixture.tree.buildings[0].id)&description=n\(i)"
                )
                numbers.append(try #require(createdID(body)))
            }
            // The oldest one was filed 100 days ago: outside the default window.
            let old = Date().addingTimeInterval(-100 * 86400)
            let oldest = numbers[0]
            try await fixture.db.transaction { sql in
                try await sql.raw(
                    "UPDATE cases SET created_at = \(bind: old.epochMillis) WHERE number = \(bind: oldest)"
                ).run()
            }
            let (_, recent) = try await list(client, "/open311/v2/requests.json")
            #expect(recent.compactMap { $0["service_request_id"] as? String } == numbers[1...].reversed())
            let from = Self.iso(old.addingTimeInterval(-86400)), until = Self.iso(old.addingTimeInterval(86400))
            let (_, dated) = try await list(client, "/open311/v2/requests.json?start_date=\(from)&end_date=\(until)")
            #expect(dated.compactMap { $0["service_request_id"] as? String } == [numbers[0]])
            let (_, first) = try await list(client, "/open311/v2/requests.json?page_size=2")
            let (_, second) = try await list(client, "/open311/v2/requests.json?page_size=2&page=2")
            #expect(first.compactMap { $0["service_request_id"] as? String } == [numbers[3], numbers[2]])
            #expect(second.compactMap { $0["service_request_id"] as? String } == [numbers[1]])
            let (bad, _) = try await list(client, "/open311/v2/requests.json?page_size=5000")
            #expect(bad == .badRequest)
            let (_, byID) = try await list(
                client, "/open311/v2/requests.json?service_request_id=\(numbers[0]),\(numbers[2])")
            #expect(Set(byID.compactMap { $0["service_request_id"] as? String }) == [numbers[0], numbers[2]])
        }
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: date).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    // MARK: - service definitions, batch, privacy, media

    func actor(_ fixture: WebFixture, _ username: String) async throws -> Actor {
        let user = try #require(try await AccountStore(db: fixture.db).user(username: username))
        return try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
    }

    static let questions = [
        ServiceAttribute(code: "pole", datatype: .string, required: true, description: "灯杆编号", order: 1),
        ServiceAttribute(
            code: "kind", datatype: .singlevaluelist, description: "灯的类型", order: 2,
            values: [ServiceAttributeValue(key: "led", name: "LED"), ServiceAttributeValue(key: "sodium", name: "钠灯")]),
        ServiceAttribute(code: "count", datatype: .number, description: "不亮的盏数", order: 3),
    ]

    @Test func servicesWithAttributesHaveADefinitionAndPostedAnswersAreCheckedAndStored() async throws {
        try await WebFixture.run { fixture, client in
            let (category, key) = try await setUp(fixture)
            try await CaseSetup(db: fixture.db).setServiceSettings(
                .root, categoryID: category.id, ServiceSettings(attributes: Self.questions))
            let (_, services) = try await list(client, "/open311/v2/services.json")
            #expect(services.first?["metadata"] as? Bool == true)
            let definition = try await client.execute(uri: "/open311/v2/services/\(category.id).json", method: .get)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: definition.body).utf8)) as? [String: Any])
            let attributes = try #require(object["attributes"] as? [[String: Any]])
            #expect(attributes.map { $0["code"] as? String } == ["pole", "kind", "count"])
            #expect(attributes.first?["required"] as? Bool == true)
            #expect((attributes[1]["values"] as? [[String: Any]])?.map { $0["key"] as? String } == ["led", "sodium"])
            let xml = try await client.execute(uri: "/open311/v2/services/\(category.id).xml", method: .get)
            #expect(
                String(buffer: xml.body).contains(
                    "<attribute><variable>true</variable><code>pole</code><datatype>string</datatype>"))
            let base =
                "api_key=\(key)&service_code=\(category.id)&address_id=\(fixture.tree.buildings[0].id)&description=x"
            for bad in [
                "", "&attribute[pole]=A-17&attribute[kind]=neon", "&attribute[pole]=A-17&attribute[count]=many",
                "&attribute[pole]=%20",
            ] {
                let (status, body) = try await post(client, base + bad)
                #expect(status == .badRequest, "\(bad): \(body)")
            }
            #expect(try await CaseStore(db: fixture.db).all().isEmpty)
            let (status, body) = try await post(
                client, base + "&attribute[pole]=A-17&attribute[kind]=led&attribute[count]=2&attribute[other]=x")
            #expect(status == .created)
            let created = try #require(try await CaseStore(db: fixture.db).all().first { $0.number == createdID(body) })
            let stored = try await CaseStore(db: fixture.db).attributes(of: created.id)
            #expect(stored.map { "\($0.0)=\($0.1)" } == ["count=2", "kind=led", "pole=A-17"])
            // The web form does not ask them: a category's attributes do not block other channels.
            let web = try await CaseCommands(db: fixture.db).submit(
                try await actor(fixture, "wang"),
                CaseSubmission(
                    title: "web", description: "web", categoryID: category.id, nodeID: fixture.tree.buildings[0].id))
            #expect(try await CaseStore(db: fixture.db).attributes(of: web.id).isEmpty)
        }
    }

    @Test func batchServicesAnswerWithATokenThatResolvesOnceAccepted() async throws {
        try await WebFixture.run { fixture, client in
            let (category, key) = try await setUp(fixture)
            try await CaseSetup(db: fixture.db).setServiceSettings(
                .root, categoryID: category.id, ServiceSettings(type: .batch))
            let (_, services) = try await list(client, "/open311/v2/services.json")
            #expect(services.first?["type"] as? String == "batch")
            let (status, body) = try await post(
                client,
                "api_key=\(key)&service_code=\(category.id)&address_id=\(fixture.tree.buildings[0].id)&description=x")
            #expect(status == .created)
            let answer = try #require(
                (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])?.first)
            #expect(answer["service_request_id"] == nil)
            let token = try #require(answer["token"] as? String)
            let (_, waiting) = try await list(client, "/open311/v2/tokens/\(token).json")
            #expect(waiting.first?["token"] as? String == token)
            #expect(waiting.first?["service_request_id"] is NSNull)
            let created = try #require(try await CaseStore(db: fixture.db).all().first)
            try await CaseCommands(db: fixture.db).perform(
                try await actor(fixture, "worker"), created.id, .file(categoryID: category.id))
            let (_, accepted) = try await list(client, "/open311/v2/tokens/\(token).json")
            #expect(accepted.first?["service_request_id"] as? String == created.number)
            let xml = try await client.execute(uri: "/open311/v2/tokens/\(token).xml", method: .get)
            #expect(String(buffer: xml.body).contains("<service_request_id>\(created.number)</service_request_id>"))
        }
    }

    @Test func casesArePublicAsTheirCategorySaysAndTokensConfirmNothingPrivate() async throws {
        try await WebFixture.run { fixture, client in
            let (category, key) = try await setUp(fixture)
            try await CaseSetup(db: fixture.db).setServiceSettings(
                .root, categoryID: category.id, ServiceSettings(type: .batch, publicByDefault: false))
            let (_, body) = try await post(
                client,
                "api_key=\(key)&service_code=\(category.id)&address_id=\(fixture.tree.buildings[0].id)&description=x")
            let token = try #require(
                ((try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])?.first)?["token"]
                    as? String)
            let created = try #require(try await CaseStore(db: fixture.db).all().first)
            #expect(!created.isPublic)
            try await CaseCommands(db: fixture.db).perform(
                try await actor(fixture, "worker"), created.id, .file(categoryID: category.id))
            let (_, listed) = try await list(client, "/open311/v2/requests.json")
            #expect(listed.isEmpty)
            let unknown = try await client.execute(uri: "/open311/v2/tokens/t_nosuchtoken.json", method: .get)
            for probe in [token, created.number] {
                let r = try await client.execute(uri: "/open311/v2/tokens/\(probe).json", method: .get)
                #expect(r.status == .notFound)
                #expect(
                    String(buffer: r.body).replacingOccurrences(of: probe, with: "t_nosuchtoken")
                        == String(buffer: unknown.body))
            }
            let one = try await client.execute(uri: "/open311/v2/requests/\(created.number).json", method: .get)
            #expect(one.status == .notFound)
        }
    }

    /// A JPEG with a JFIF header, an EXIF block naming a place, a comment, a table and a scan.
    static let jpegWithLocation: [UInt8] =
        [0xFF, 0xD8]
        + [0xFF, 0xE0, 0x00, 0x07] + Array("JFIF\0".utf8)
        + [0xFF, 0xE1, 0x00, 0x12] + Array("Exif\0\0GPS 22.53N".utf8)
        + [0xFF, 0xFE, 0x00, 0x08] + Array("wang!!".utf8)
        + [0xFF, 0xDB, 0x00, 0x04, 0x01, 0x02]
        + [0xFF, 0xDA, 0x00, 0x04, 0x03, 0x04, 0x11, 0x22, 0x33, 0xFF, 0x00, 0x44]
        + [0xFF, 0xD9]

    @Test func mediaURLServesAPublicCopyOfTheFirstPhotoWithoutMetadata() async throws {
        try await WebFixture.run { fixture, client in
            let (category, _) = try await setUp(fixture)
            let wang = try await actor(fixture, "wang")
            var submission = CaseSubmission(
                channel: .open311, title: "photo", description: "photo", categoryID: category.id,
                nodeID: fixture.tree.buildings[0].id, isPublic: true)
            submission.photos = [Self.jpegWithLocation]
            let open = try await CaseCommands(db: fixture.db).submit(wang, submission)
            submission.isPublic = false
            submission.title = "private"
            let hidden = try await CaseCommands(db: fixture.db).submit(wang, submission)
            let (_, one) = try await list(client, "/open311/v2/requests/\(open.number).json")
            let url = try #require(one.first?["media_url"] as? String)
            #expect(url.hasSuffix("/open311/v2/media/\(open.number).jpg"))
            let range = try #require(url.range(of: "/open311/"))
            let path = String(url[range.lowerBound...])
            let media = try await client.execute(uri: path, method: .get)
            #expect(media.status == .ok)
            #expect(media.headers[.contentType] == "image/jpeg")
            let bytes = Array(media.body.readableBytesView)
            #expect(bytes.starts(with: [0xFF, 0xD8, 0xFF, 0xE0]))
            #expect(!String(decoding: bytes, as: UTF8.self).contains("GPS"))
            #expect(!String(decoding: bytes, as: UTF8.self).contains("wang"))
            #expect(bytes.suffix(10) == Self.jpegWithLocation.suffix(10))
            let privateMedia = try await client.execute(uri: "/open311/v2/media/\(hidden.number).jpg", method: .get)
            #expect(privateMedia.status == .notFound)
            #expect(PhotoMetadata.stripped(Self.jpegWithLocation).count == Self.jpegWithLocation.count - 20 - 10)
        }
    }
}
