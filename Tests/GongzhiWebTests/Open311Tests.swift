import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct Open311Tests {
    func setUp(_ fixture: WebFixture) async throws -> (CaseCategory, String) {
        let resident = try await fixture.signUpWang()
        let actor = try #require(try await AccountStore(db: fixture.db).actor(for: resident.id))
        let (_, key) = try await AccountCommands(db: fixture.db).createToken(actor, name: "open311")
        let setup = CaseSetup(db: fixture.db)
        let parent = try await setup.createCategory(.root, nodeID: fixture.tree.district.id, parentID: nil, name: "公共设施")
        let category = try await setup.createCategory(.root, nodeID: fixture.tree.district.id, parentID: parent.id, name: "路灯照明")
        return (category, key)
    }

    @Test func discoveryAndServicesInJSONAndXML() async throws {
        try await WebFixture.run { fixture, client in
            let (category, _) = try await setUp(fixture)
            let discovery = try await client.execute(uri: "/open311/v2/discovery.json", method: .get)
            #expect(String(buffer: discovery.body).contains("GeoReport_v2"))
            let services = try await client.execute(uri: "/open311/v2/services.json?jurisdiction_id=\(fixture.tree.community.id)", method: .get)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: services.body).utf8)) as? [[String: Any]])
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
            let body = "api_key=\(key)&service_code=\(category.id)&jurisdiction_id=\(fixture.tree.community.id)" +
                "&address_id=\(fixture.tree.buildings[0].id)&lat=22.53&long=113.93&description=" +
                ("路灯不亮，晚上很黑".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            let created = try await client.execute(uri: "/open311/v2/requests.json", method: .post,
                                                   headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
            #expect(created.status == .created)
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [[String: Any]])
            let id = try #require(answer.first?["service_request_id"] as? String)
            let one = try await client.execute(uri: "/open311/v2/requests/\(id).json", method: .get)
            let request = try #require((try JSONSerialization.jsonObject(with: Data(String(buffer: one.body).utf8)) as? [[String: Any]])?.first)
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
            let noKey = try await client.execute(uri: "/open311/v2/requests.json", method: .post,
                                                 headers: [.contentType: "application/x-www-form-urlencoded"],
                                                 body: ByteBuffer(string: "service_code=\(category.id)&description=x"))
            #expect(noKey.status == .forbidden)
            let errors = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: noKey.body).utf8)) as? [[String: Any]])
            #expect(errors.first?["code"] as? String == "403")
            let missing = try await client.execute(uri: "/open311/v2/requests/GZ0-000000.xml", method: .get)
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("<errors><error><code>404</code>"))
            #expect(try await CaseStore(db: fixture.db).all().isEmpty)
        }
    }
}
