import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite struct RegistryPlacesPagesTests {
    func token(_ fixture: WebFixture, _ username: String) async throws -> HTTPFields {
        let user = try #require(try await AccountStore(db: fixture.db).user(username: username))
        let actor = try #require(try await AccountStore(db: fixture.db).actor(for: user.id))
        let (_, secret) = try await AccountCommands(db: fixture.db).createToken(actor, name: "test")
        return [.authorization: "Bearer \(secret)", .contentType: "application/json"]
    }

    @Test func aGridWorkerRegistersAnOrganisationAndABadCodeComesBackBesideItsField() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var browser = Browser(client: client)
            _ = try await browser.logIn("gridworker", WebFixture.password)
            var fields = [
                "kind": "shop", "name": "南头便民超市", "credit_code": "91350100M000100Y42",
                "node": "\(fixture.tree.grid1.id)", "address": "南头街 8 号", "contact_name_1": "王秀英",
                "contact_phone_1": "13812345678",
            ]
            // when: a code with a wrong check character
            let (refused, html) = try await browser.post(
                "/registry/organisations", form: fields, csrfFrom: "/registry/organisations/new")
            // then
            #expect(refused.status == .unprocessableContent)
            #expect(html.contains(##"href="#f-credit_code""##) && html.contains("校验码"))
            #expect(ErrorSummaryLinks.unresolved(in: html).isEmpty && html.contains(#"value="南头便民超市""#))
            // and with the right one it is registered, listed by part of its name, contacts masked
            fields["credit_code"] = "91350100M000100Y43"
            let (created, _) = try await browser.post(
                "/registry/organisations", form: fields, csrfFrom: "/registry/organisations/new")
            #expect(created.status == .seeOther)
            let (_, list) = try await browser.get("/registry/organisations?q=%E8%B6%85%E5%B8%82")
            #expect(list.contains("南头便民超市") && list.contains("138****5678") && !list.contains("13812345678"))
            let headers = try await token(fixture, "gridworker")
            let api = try await client.execute(
                uri: "/api/v1/organisations?q=%E4%BE%BF%E6%B0%91", method: .get, headers: headers)
            #expect(api.status == .ok && String(buffer: api.body).contains("91350100M000100Y43"))
            // and the other community sees nothing of it
            var other = Browser(client: client)
            _ = try await other.logIn("otherworker", WebFixture.password)
            let location = try #require(created.headers[.location])
            #expect(try await other.get(location).0.status == .notFound)
            // and the contact is seen in full only with a reason, the view audited without the value
            let (noReason, noReasonHTML) = try await browser.post(
                location + "/reveal", form: ["contact": "1", "reason": ""], csrfFrom: location)
            #expect(noReason.status == .unprocessableContent && noReasonHTML.contains(##"href="#f-reason""##))
            let (shown, shownHTML) = try await browser.post(
                location + "/reveal", form: ["contact": "1", "reason": "联系店主核实占道经营"], csrfFrom: location)
            #expect(shown.status == .ok && shownHTML.contains("138 1234 5678") && shownHTML.contains("王秀英"))
            #expect(shown.headers[.cacheControl] == "no-store")
            let audited = try await fixture.db.read { sql in
                try await sql.raw(
                    "SELECT after_state FROM audit_log WHERE action = 'registry.organisation.reveal'"
                ).all().map { try $0.decode(column: "after_state", as: String.self) }
            }
            #expect(audited.count == 1 && audited[0].contains("联系店主") && !audited[0].contains("1234"))
        }
    }

    @Test func aFacilityIsRegisteredAndACaseAboutItShowsOnBothPages() async throws {
        try await WebFixture.run { fixture, client in
            // given
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let (created, _) = try await browser.post(
                "/registry/facilities",
                form: [
                    "code": "JG-0042", "class_code": "0102", "lat": "22.5250", "lng": "113.9250", "state": "damaged",
                    "node": "\(fixture.tree.community.id)", "note": "南头街口",
                ], csrfFrom: "/registry/facilities/new")
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            // when: a patrol case names it by its code
            let (filed, _) = try await browser.post(
                "/cases",
                form: [
                    "kind": "event", "channel": "patrol", "title": "井盖破损", "description": "南头街口污水井盖破损",
                    "place": "\(fixture.tree.grid1.id)", "facility": "jg-0042",
                ], csrfFrom: "/cases/new")
            #expect(filed.status == .seeOther)
            let casePath = try #require(filed.headers[.location]?.split(separator: "?").first.map(String.init))
            // then
            let (_, caseHTML) = try await browser.get(casePath)
            #expect(caseHTML.contains("JG-0042") && caseHTML.contains("污水井盖") && caseHTML.contains(location))
            let (_, facilityHTML) = try await browser.get(location)
            #expect(facilityHTML.contains("井盖破损") && facilityHTML.contains("损坏"))
            // and an unknown code is said beside the field
            let (bad, badHTML) = try await browser.post(
                "/cases",
                form: [
                    "kind": "event", "channel": "patrol", "title": "井盖破损", "description": "另一个井盖",
                    "place": "\(fixture.tree.grid1.id)", "facility": "JG-9999",
                ], csrfFrom: "/cases/new")
            #expect(bad.status == .unprocessableContent && badHTML.contains(##"href="#f-facility""##))
            // and the API searches facilities by class name
            let headers = try await token(fixture, "worker")
            let found = try await client.execute(
                uri: "/api/v1/facilities?q=%E6%B1%A1%E6%B0%B4", method: .get, headers: headers)
            #expect(found.status == .ok && String(buffer: found.body).contains("JG-0042"))
            // and a case filed through the API names the facility the same way
            let body = ByteBuffer(
                string:
                    #"{"title":"井盖松动","description":"井盖踩上去会响","placeId":PLACE,"kind":"event","channel":"patrol","facilityCode":"JG-0042"}"#
                    .replacingOccurrences(of: "PLACE", with: "\(fixture.tree.grid1.id)"))
            let viaAPI = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers, body: body)
            #expect(viaAPI.status == .created && String(buffer: viaAPI.body).contains(#""facilityID""#))
            let (_, listed) = try await browser.get(location)
            #expect(listed.contains("井盖松动"))
        }
    }
}
