import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite struct RegistryHousePagesTests {
    @Test func aGridWorkerRegistersOwnersAndARentalOnTheHousePage() async throws {
        try await WebFixture.run { fixture, client in
            // given: house 1单元-101 with a registered resident
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            let pages = RegistryPagesTests()
            try await pages.house(fixture, &browser)
            let (created, _) = try await browser.post(
                "/registry", form: pages.personFields(fixture), csrfFrom: "/registry/people/new")
            let personID = try #require(created.headers[.location]?.split(separator: "/").last.flatMap { Int64($0) })
            let houseID = try await fixture.db.read { sql in
                try await sql.raw("SELECT id FROM registry_houses").first()!.decode(column: "id", as: Int64.self)
            }
            let page = "/registry/houses/\(houseID)"
            // when: a non-resident owner and the resident as a second owner
            let (owner, _) = try await browser.post(
                page + "/owners", form: ["name": "陈大文", "share": "60"], csrfFrom: page)
            #expect(owner.status == .seeOther)
            // then: too big a share comes back beside its field with what was typed
            let (refused, refusedHTML) = try await browser.post(
                page + "/owners", form: ["person": "\(personID)", "share": "50"], csrfFrom: page)
            #expect(refused.status == .unprocessableContent)
            #expect(refusedHTML.contains(##"href="#f-share""##) && refusedHTML.contains("40%"))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            _ = try await browser.post(
                page + "/owners", form: ["person": "\(personID)", "share": "40"], csrfFrom: page)
            // and a rental by the non-resident owner to the resident
            let ownerID = try await fixture.db.read { sql in
                try await sql.raw("SELECT id FROM registry_house_owners WHERE person_id IS NULL").first()!.decode(
                    column: "id", as: Int64.self)
            }
            let (badRental, badHTML) = try await browser.post(
                page + "/rentals",
                form: [
                    "landlord": "\(ownerID)", "tenants": "\(personID)", "start_on": "2026-06-01",
                    "end_on": "2026-05-01",
                ],
                csrfFrom: page)
            #expect(badRental.status == .unprocessableContent && badHTML.contains(##"href="#f-end_on""##))
            #expect(ErrorSummaryLinks.unresolved(in: badHTML).isEmpty)
            let today = CalendarDate(Date())
            let (start, end) = (today.adding(days: -100).description, today.adding(days: 10).description)
            let (rental, _) = try await browser.post(
                page + "/rentals",
                form: ["landlord": "\(ownerID)", "tenants": "\(personID)", "start_on": start, "end_on": end],
                csrfFrom: page)
            #expect(rental.status == .seeOther)
            let (_, html) = try await browser.get(page)
            #expect(html.contains("陈大文") && html.contains("60%") && html.contains(end))
            // and the building page lists the owners and the lease ending within 30 days
            let (_, buildingHTML) = try await browser.get("/registry/buildings/\(fixture.tree.buildings[0].id)")
            #expect(buildingHTML.contains("陈大文 60%") && buildingHTML.contains(page))
            #expect(buildingHTML.contains("30 天内到期") && buildingHTML.contains(end))
            // and the person's page shows the house they own a share of and the lease they rent under
            let (_, personHTML) = try await browser.get("/registry/people/\(personID)")
            #expect(personHTML.contains("房屋产权与租住") && personHTML.contains("40%") && personHTML.contains(end))
        }
    }

    @Test func theAPIReadsAHouseAndGroupsAreasByOwner() async throws {
        try await WebFixture.run { fixture, client in
            // given
            let user = try #require(try await AccountStore(db: fixture.db).user(username: "gridworker"))
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            let building = fixture.tree.buildings[0].id
            let house = try await client.execute(
                uri: "/api/v1/buildings/\(building)/houses", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"unit":"1单元","room":"101","area":"120"}"#))
            let houseID = try #require(
                (try JSONSerialization.jsonObject(with: Data(String(buffer: house.body).utf8)) as? [String: Any])?["id"]
                    as? Int)
            // when
            let owner = try await client.execute(
                uri: "/api/v1/houses/\(houseID)/owners", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"name":"陈大文","share":"50"}"#))
            #expect(owner.status == .created && owner.headers[.eTag] == "\"2\"")
            var staleHeaders = headers
            staleHeaders[.ifMatch] = "\"1\""
            let stale = try await client.execute(
                uri: "/api/v1/houses/\(houseID)/owners", method: .post, headers: staleHeaders,
                body: ByteBuffer(string: #"{"name":"李四","share":"10"}"#))
            #expect(stale.status == .conflict)
            // then
            let read = try await client.execute(uri: "/api/v1/houses/\(houseID)", method: .get, headers: headers)
            #expect(read.status == .ok && String(buffer: read.body).contains("陈大文"))
            let areas = try await client.execute(
                uri: "/api/v1/registry/owner_areas?building=\(building)", method: .get, headers: headers)
            let body = String(buffer: areas.body)
            #expect(areas.status == .ok && body.contains("陈大文") && body.contains(#""areaCenti":6000"#))
            let refused = try await client.execute(
                uri: "/api/v1/houses/\(houseID)/rentals", method: .post, headers: headers,
                body: ByteBuffer(
                    string: #"{"landlord":999,"tenants":[1],"start_on":"2026-01-01","end_on":"2026-12-31"}"#))
            #expect(refused.status == .unprocessableContent && String(buffer: refused.body).contains("landlord"))
        }
    }
    @Test func anUnsoldHouseIsRecordedAsHeldByTheDeveloperOnThePageAndInTheAPI() async throws {
        try await WebFixture.run { fixture, client in
            // given two houses in the first building
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            let user = try #require(try await AccountStore(db: fixture.db).user(username: "gridworker"))
            let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            let building = fixture.tree.buildings[0].id
            var ids: [Int] = []
            for room in ["101", "102"] {
                let house = try await client.execute(
                    uri: "/api/v1/buildings/\(building)/houses", method: .post, headers: headers,
                    body: ByteBuffer(string: #"{"unit":"1单元","room":"\#(room)","area":"100"}"#))
                ids.append(
                    try #require(
                        (try JSONSerialization.jsonObject(with: Data(String(buffer: house.body).utf8))
                            as? [String: Any])?["id"] as? Int))
            }
            // when the page records the first as unsold (the checkbox), and the API the second
            let page = "/registry/houses/\(ids[0])"
            let (marked, _) = try await browser.post(
                page + "/owners", form: ["developer": "true", "name": "南山置业"], csrfFrom: page)
            #expect(marked.status == .seeOther)
            let api = try await client.execute(
                uri: "/api/v1/houses/\(ids[1])/owners", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"developer":true}"#))
            #expect(api.status == .created)
            // then the page says who holds it, and a buyer beside the developer is refused with the reason
            let (_, html) = try await browser.get(page)
            #expect(html.contains("南山置业") && html.contains("建设单位持有（未售）"))
            let (refused, refusedHTML) = try await browser.post(
                page + "/owners", form: ["name": "陈大文"], csrfFrom: page)
            #expect(refused.status == .unprocessableContent && refusedHTML.contains("请先移除建设单位"))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            // and the owners' areas count the developer once with both houses
            let areas = try await client.execute(
                uri: "/api/v1/registry/owner_areas?building=\(building)", method: .get, headers: headers)
            let body = String(buffer: areas.body)
            #expect(body.contains(#""ownerKey":"developer""#) && body.contains(#""houses":2"#))
            #expect(body.contains(#""areaCenti":20000"#))
        }
    }
}
