import Foundation
import GongzhiDomain
import GongzhiStore
import GongzhiTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite struct VotePagesTests {
    func actor(_ fixture: WebFixture, _ name: String) async throws -> Actor {
        let store = AccountStore(db: fixture.db)
        let user = try #require(try await store.user(username: name))
        return try #require(try await store.actor(for: user.id))
    }

    /// Wang and Li on the registry of the first building, Wang's account bound to his record. Returns their ids.
    /// A persons' proposal vote of the fixture's community with no meeting, in which Wang voted yes, closed after
    /// its hour: the worker, the vote, and the commands at the close's instant.
    func closedVote(
        _ fixture: WebFixture, title: String, secrecy: BallotSecrecy
    ) async throws -> (worker: Actor, vote: Vote, later: VoteCommands) {
        _ = try await registry(fixture)
        let worker = try await actor(fixture, "worker")
        let now = Date()
        let commands = VoteCommands(db: fixture.db, clock: .system)
        let draft = try await commands.draft(
            worker,
            VotePlan(
                communityID: fixture.tree.community.id, title: title, spec: try PollSpec(kind: .proposal),
                basis: .persons, opensAt: now.addingTimeInterval(-60), closesAt: now.addingTimeInterval(3600),
                secrecy: secrecy))
        let v = try await commands.perform(worker, draft.id, .schedule)
        _ = try await commands.cast(try await actor(fixture, "wang"), v.id, .proposal(.yes))
        let later = VoteCommands(db: fixture.db, clock: .fixed(now.addingTimeInterval(3700)))
        try await later.perform(worker, v.id, .close)
        return (worker, v, later)
    }

    func registry(_ fixture: WebFixture) async throws -> (wang: Int64, li: Int64) {
        try await fixture.signUpWang()
        let clerk = try await actor(fixture, "worker")
        let commands = RegistryCommands(db: fixture.db, clock: .system)
        for room in ["101", "102"] {
            _ = try await commands.registerHouse(
                clerk,
                try HouseForm(
                    building: "\(fixture.tree.buildings[0].id)", unit: "1单元", floor: "1", room: room, area: "80"
                ).draft())
        }
        func register(_ name: String, _ born: String, _ sequence: Int, _ phone: String) async throws -> Int64 {
            let body = "440305" + born + String(format: "%02d", sequence) + "\((sequence % 5) * 2 + 1)"
            let form = PersonForm(
                name: name, idType: "居民身份证", idNumber: body + String(ResidentIDNumber.checkCharacter(body)!),
                phone: phone, building: "\(fixture.tree.buildings[0].id)", unit: "1单元", room: "10\(sequence % 10)",
                household: nil, relation: nil, tags: nil)
            return try await commands.perform(
                clerk, person: nil, .register(try form.draft(today: CalendarDate(Date())))
            )
            .id
        }
        let wang = try await register("王", "19800101", 21, "13800000021")
        let li = try await register("李", "19810101", 22, "13800000022")
        let body = "440305" + "19800101" + "21" + "3"
        try await RegistryStore(db: fixture.db).bindOwnRecord(
            try await actor(fixture, "wang"), idNumber: body + String(ResidentIDNumber.checkCharacter(body)!),
            phone: "13800000021", homeNodeID: fixture.tree.buildings[0].id, clock: .system)
        return (wang, li)
    }

    static func local(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    @Test func aResidentHoldingAMandateSeesTheEntryNamedByTheMandateNotAnID() async throws {
        try await WebFixture.run { fixture, client in
            // given an open vote of the residents, and Li's mandate recorded for Wang
            let people = try await registry(fixture)
            let worker = try await actor(fixture, "worker")
            let commands = VoteCommands(db: fixture.db, clock: .system)
            let draft = try await commands.draft(
                worker,
                VotePlan(
                    communityID: fixture.tree.community.id, title: "楼道加装扶手", spec: try PollSpec(kind: .proposal),
                    basis: .persons, opensAt: Date().addingTimeInterval(-60), closesAt: Date().addingTimeInterval(3600),
                    secrecy: .open, proxies: ProxyRules(allowed: true, maxMandatesPerProxy: 3)))
            let v = try await commands.perform(worker, draft.id, .schedule)
            let day = CalendarDate(Date())
            _ = try await commands.perform(
                worker, v.id,
                .proxy(
                    ProxyMandate(
                        principal: .person(people.li), proxyPersonID: people.wang, document: "委托书 7 号", signedOn: day)))
            // when Wang opens the vote
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (page, html) = try await wang.get("/deliberation/votes/\(v.id)")
            // then the proxy entry names the mandate and its date, and no id
            #expect(page.status == .ok)
            #expect(html.contains("受托代投：委托书 7 号（\(day)）"))
            #expect(!html.contains(">受托代投：person:"))
        }
    }

    @Test func theWorkerDraftsAndSchedulesAVoteAndAResidentVotesOnceWithAReceipt() async throws {
        try await WebFixture.run { fixture, client in
            // given Wang on the registry, and the worker's new vote open from a minute ago for an hour
            _ = try await registry(fixture)
            var worker = Browser(client: client)
            _ = try await worker.logIn("worker", WebFixture.password)
            let (form, formHTML) = try await worker.get("/deliberation/votes/new")
            #expect(form.status == .ok && formHTML.contains("无记名投票"))
            var fields = [
                "community": "\(fixture.tree.community.id)", "title": "", "kind": "proposal", "basis": "persons",
                "secrecy": "secret", "opens_at": Self.local(Date().addingTimeInterval(-120)),
                "closes_at": Self.local(Date().addingTimeInterval(3600)),
            ]
            let (refused, refusedHTML) = try await worker.post(
                "/deliberation/votes", form: fields, csrfFrom: "/deliberation/votes/new")
            #expect(refused.status == .unprocessableContent && refusedHTML.contains("请填写表决事项"))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            fields["title"] = "是否在小区东门加装快递柜"
            let (made, _) = try await worker.post(
                "/deliberation/votes", form: fields, csrfFrom: "/deliberation/votes/new")
            let location = try #require(made.headers[.location])
            let (scheduled, _) = try await worker.post(
                location + "/schedule", form: ["version": "1"], csrfFrom: location)
            #expect(scheduled.status == .seeOther || scheduled.status == .found)
            let (_, page) = try await worker.get(location)
            #expect(page.contains("共 2 名（户）") && page.contains("投票中"))
            // when Wang votes yes, then tries again
            var wang = Browser(client: client)
            _ = try await wang.logIn("wang", WebFixture.password)
            let (_, ballot) = try await wang.get(location)
            #expect(ballot.contains(#"name="choice" value="yes""#))
            let (cast, castHTML) = try await wang.post(location + "/cast", form: ["choice": "yes"], csrfFrom: location)
            let (again, againHTML) = try await wang.post(location + "/cast", form: ["choice": "no"], csrfFrom: location)
            // then he gets a receipt code once, and the second ballot is refused in words
            #expect(cast.status == .ok && castHTML.contains("回执码只显示这一次") && cast.headers[.cacheControl] == "no-store")
            #expect(
                castHTML.range(
                    of: #"<code>[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]</code>"#,
                    options: .regularExpression) != nil)
            #expect(again.status == .unprocessableContent && againHTML.contains("已经投过票"))
            #expect(!againHTML.contains(#"name="choice""#))
            // and a secret ballot shows no count before the close, not even to the worker
            let (_, running) = try await worker.get(location)
            #expect(!running.contains("实时票数") && !running.contains("表决结果"))
            let (_, list) = try await wang.get("/deliberation/votes")
            #expect(list.contains("是否在小区东门加装快递柜"))
        }
    }

    @Test func aClosedVoteShowsItsArithmeticAndChecksReceipts() async throws {
        try await WebFixture.run { fixture, client in
            // given a vote that ran two hours ago, in which Wang voted yes and Li was given a paper ballot
            let people = try await registry(fixture)
            let worker = try await actor(fixture, "worker")
            let wang = try await actor(fixture, "wang")
            let start = Date().addingTimeInterval(-7200)
            let v = try await VoteCommands(db: fixture.db, clock: .fixed(start)).draft(
                worker,
                VotePlan(
                    communityID: fixture.tree.community.id, title: "垃圾分类投放点调整", spec: try PollSpec(kind: .proposal),
                    basis: .persons, opensAt: start.addingTimeInterval(60), closesAt: start.addingTimeInterval(3600),
                    secrecy: .secret))
            let during = VoteCommands(db: fixture.db, clock: .fixed(start.addingTimeInterval(600)))
            try await during.perform(worker, v.id, .schedule)
            let receipt = try await during.cast(wang, v.id, .proposal(.yes))
            try await during.perform(worker, v.id, .issuePaper(voter: .person(people.li), box: "一号箱"))
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let location = "/deliberation/votes/\(v.id)"
            let (_, csrfPage) = try await browser.get(location)
            let token = Browser.csrf(in: csrfPage)
            // when the worker enters box totals that do not add up, then right ones with the tally sheet's photo
            let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16]
            let (bad, badHTML) = try await browser.postFile(
                location + "/box",
                form: [
                    "_csrf": token, "box": "一号箱", "issued": "1", "returned": "2", "marks": "2,0,0",
                    "scrutineers": "陈、林",
                ], file: ("photo", "sheet.jpg", photo))
            #expect(bad.status == .unprocessableContent && badHTML.contains("收回选票 2 张，多于发出的 1 张"))
            let (good, _) = try await browser.postFile(
                location + "/box",
                form: [
                    "_csrf": token, "box": "一号箱", "issued": "1", "returned": "1", "marks": "0,1,0",
                    "scrutineers": "陈、林",
                ], file: ("photo", "sheet.jpg", photo))
            #expect(good.status == .seeOther || good.status == .found)
            let (early, earlyHTML) = try await browser.post(location + "/close", form: [:], csrfFrom: location)
            #expect(early.status == .unprocessableContent && earlyHTML.contains("还没有两名监票人签字确认"))
            _ = try await browser.post(location + "/sign_box", form: ["box": "一号箱"], csrfFrom: location)
            let second = try await AccountCommands(db: fixture.db, settings: AccountSettings(bcryptCost: 4)).createUser(
                .root, username: "worker2", displayName: "worker2", password: WebFixture.password,
                role: .communityWorker, nodeID: fixture.tree.community.id)
            _ = try await VoteCommands(db: fixture.db).perform(
                try #require(try await AccountStore(db: fixture.db).actor(for: second.id)), v.id,
                .signBox(box: "一号箱"))
            _ = try await browser.post(location + "/close", form: [:], csrfFrom: location)
            _ = try await browser.post(location + "/publish", form: [:], csrfFrom: location)
            // then the result shows its arithmetic and stays published for 30 days
            var resident = Browser(client: client)
            _ = try await resident.logIn("wang", WebFixture.password)
            let (_, result) = try await resident.get(location)
            #expect(result.contains("表决结果") && result.contains("1/2 = 50.0%") && result.contains("未通过"))
            #expect(result.contains("公示至少到"))
            let (photoResponse, _) = try await browser.get(location + "/boxes/%E4%B8%80%E5%8F%B7%E7%AE%B1/photo")
            #expect(photoResponse.status == .ok && photoResponse.headers[.contentType] == "image/jpeg")
            // and Wang finds his ballot by its receipt, typed in lower case without dashes
            let code = receipt.symbols.lowercased()
            let (_, found) = try await resident.get(location + "/receipt?code=\(code)")
            #expect(found.contains("已在公示名单中找到您的选票") && found.contains("同意"))
            let (typo, typoHTML) = try await resident.get(location + "/receipt?code=ABCD")
            #expect(typo.status == .unprocessableContent && typoHTML.contains("回执码不正确"))
        }
    }

    @Test func theAPITakesTheSameStepsWithVersionsAndProblems() async throws {
        try await WebFixture.run { fixture, client in
            // given
            _ = try await registry(fixture)
            let worker = try await actor(fixture, "worker")
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(worker, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            let wang = try await actor(fixture, "wang")
            let (_, wangSecret) = try await AccountCommands(db: fixture.db).createToken(wang, name: "test")
            let wangHeaders: HTTPFields = [.authorization: "Bearer \(wangSecret)", .contentType: "application/json"]
            let iso = ISO8601DateFormatter()
            // when the worker drafts an open ballot showing running counts
            let created = try await client.execute(
                uri: "/api/v1/votes", method: .post, headers: headers,
                body: ByteBuffer(
                    string:
                        #"{"community":\#(fixture.tree.community.id),"title":"活动室开放时间","kind":"singleChoice","options":["上午","下午","晚上"],"basis":"persons","secrecy":"open","results_before_close":true,"opens_at":"\#(iso.string(from: Date().addingTimeInterval(-60)))","closes_at":"\#(iso.string(from: Date().addingTimeInterval(3600)))"}"#
                ))
            #expect(created.status == .created && created.headers[.eTag] == "\"1\"")
            let id = try #require(
                (try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [String: Any])?[
                    "id"] as? Int)
            var stale = headers
            stale[.ifMatch] = "\"7\""
            let conflict = try await client.execute(uri: "/api/v1/votes/\(id)/schedule", method: .post, headers: stale)
            #expect(conflict.status == .conflict && conflict.headers[.contentType] == "application/problem+json")
            var current = headers
            current[.ifMatch] = "\"1\""
            let scheduled = try await client.execute(
                uri: "/api/v1/votes/\(id)/schedule", method: .post, headers: current)
            #expect(scheduled.status == .ok && scheduled.headers[.eTag] == "\"2\"")
            // then Wang casts once; a second ballot and a bad one are problems
            let cast = try await client.execute(
                uri: "/api/v1/votes/\(id)/cast", method: .post, headers: wangHeaders,
                body: ByteBuffer(string: #"{"choice":["2"]}"#))
            #expect(cast.status == .created && String(buffer: cast.body).contains("receipt"))
            let twice = try await client.execute(
                uri: "/api/v1/votes/\(id)/cast", method: .post, headers: wangHeaders,
                body: ByteBuffer(string: #"{"choice":["1"]}"#))
            #expect(twice.status == .conflict && String(buffer: twice.body).contains("vote_already_cast"))
            // and the running count is visible on an open ballot that says so
            let detail = try await client.execute(uri: "/api/v1/votes/\(id)", method: .get, headers: wangHeaders)
            let body = String(buffer: detail.body)
            #expect(detail.status == .ok && body.contains(#""participants":1"#))
            let receipts = try await client.execute(
                uri: "/api/v1/votes/\(id)/receipts", method: .get, headers: wangHeaders)
            #expect(receipts.status == .conflict)
        }
    }
    @Test func theWorkerRecordsOwnersPaperBallotsOnThePageAndInTheAPI() async throws {
        try await WebFixture.run { fixture, client in
            // given house 101 still held by the developer and 102 owned by Li, and an owners' vote running now
            let people = try await registry(fixture)
            let worker = try await actor(fixture, "worker")
            let registry = RegistryCommands(db: fixture.db, clock: .system)
            let houses = try await RegistryStore(db: fixture.db).houses(in: fixture.tree.buildings[0].id, for: worker)
            let byRoom = Dictionary(uniqueKeysWithValues: houses.map { ($0.house.room, $0.house.id) })
            try await registry.perform(worker, house: try #require(byRoom["101"]), .addOwner(.developer()))
            try await registry.perform(
                worker, house: try #require(byRoom["102"]),
                .addOwner(OwnerDraft(personID: people.li, name: nil, share: HouseShares.whole)))
            let commands = VoteCommands(db: fixture.db, clock: .system)
            let draft = try await commands.draft(
                worker,
                VotePlan(
                    communityID: fixture.tree.community.id, title: "选聘物业服务企业", spec: try PollSpec(kind: .proposal),
                    basis: .owners, matter: .propertyManager, opensAt: Date().addingTimeInterval(-60),
                    closesAt: Date().addingTimeInterval(3600), secrecy: .open))
            let v = try await commands.perform(worker, draft.id, .schedule)
            #expect(v.rollSize == 2)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            let page = "/deliberation/votes/\(v.id)"
            let (_, html) = try await browser.get(page)
            #expect(html.contains("业主纸质选票") && html.contains(#"name="mark" value="void""#))
            // when the developer signs for a paper ballot at box A and it is read in as yes
            let (issued, _) = try await browser.post(
                page + "/issue_paper", form: ["voter": "developer", "box": "A"], csrfFrom: page)
            #expect(issued.status == .seeOther)
            let (noMark, noMarkHTML) = try await browser.post(
                page + "/paper_ballot", form: ["voter": "developer", "box": "A"], csrfFrom: page)
            #expect(noMark.status == .unprocessableContent && noMarkHTML.contains("请选择这张选票的内容"))
            #expect(ErrorSummaryLinks.unresolved(in: noMarkHTML).isEmpty)
            let (read, _) = try await browser.post(
                page + "/paper_ballot", form: ["voter": "developer", "box": "A", "mark": "yes"], csrfFrom: page)
            #expect(read.status == .seeOther)
            // then a second ballot for the developer is refused with the reason, beside the voter field
            let (twice, twiceHTML) = try await browser.post(
                page + "/paper_ballot", form: ["voter": "developer", "box": "A", "mark": "no"], csrfFrom: page)
            #expect(twice.status == .unprocessableContent && twiceHTML.contains("已经录入过"))
            #expect(twiceHTML.contains("已逐张录入的纸质选票") && twiceHTML.contains("同意 1"))
            #expect(ErrorSummaryLinks.unresolved(in: twiceHTML).isEmpty)
            // and the page offers to correct the ballot to what was chosen, with a reason
            #expect(twiceHTML.contains(#"id="correct-ballot""#) && twiceHTML.contains(#"name="mark" value="no""#))
            let (noReason, noReasonHTML) = try await browser.post(
                page + "/correct_paper_ballot", form: ["voter": "developer", "box": "A", "mark": "no", "reason": ""],
                csrfFrom: page)
            #expect(noReason.status == .unprocessableContent && noReasonHTML.contains("请说明更正的原因"))
            #expect(noReasonHTML.contains(#"id="correct-ballot""#))
            let (fixed, _) = try await browser.post(
                page + "/correct_paper_ballot",
                form: ["voter": "developer", "box": "A", "mark": "no", "reason": "录入时选错"], csrfFrom: page)
            #expect(fixed.status == .seeOther)
            let (_, fixedHTML) = try await browser.get(page)
            #expect(fixedHTML.contains("（不同意 1）") && fixedHTML.contains("录入时选错"))
            // a search in the voter's picker at the paper-ballot step answers with the page, keeps the box, records nothing
            let (searched, searchedHTML) = try await browser.post(
                page + "/paper_ballot", form: ["_search": "voter", "q_voter": "李", "box": "B", "mark": "no"],
                csrfFrom: page)
            #expect(searched.status == .ok)
            #expect(searchedHTML.contains("picker-choices") && searchedHTML.contains(#"value="B""#))
            #expect(searchedHTML.contains("同意 1") && !searchedHTML.contains("反对 1"))
            // and the API takes the same steps for Li, refusing a ballot for an owner who signed for none
            let (_, secret) = try await AccountCommands(db: fixture.db).createToken(worker, name: "test")
            let headers: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
            let liKey = try await fixture.db.read { sql in
                try await sql.raw(
                    "SELECT voter_key FROM vote_roll WHERE vote_id = \(bind: v.id) AND voter_key <> 'developer'"
                ).first()!.decode(column: "voter_key", as: String.self)
            }
            let refused = try await client.execute(
                uri: "/api/v1/votes/\(v.id)/paper_ballot", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"voter":"\#(liKey)","box":"A","mark":"no"}"#))
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("vote_paper_ballot_not_issued"))
            for step in ["issue_paper", "paper_ballot"] {
                let response = try await client.execute(
                    uri: "/api/v1/votes/\(v.id)/\(step)", method: .post, headers: headers,
                    body: ByteBuffer(string: #"{"voter":"\#(liKey)","box":"A","mark":"no"}"#))
                #expect(response.status == .ok)
            }
        }
    }
    @Test func aVisitorReadsAPublishedVotesResultWithItsArithmeticAndNoNames() async throws {
        try await WebFixture.run { fixture, client in
            // given a household vote Wang took part in, closed and counted
            let (worker, v, later) = try await closedVote(fixture, title: "楼道加装扶手", secrecy: .secret)
            var visitor = Browser(client: client)
            let face = "/public/communities/\(fixture.tree.community.id)"
            // then before publication a visitor sees nothing of it
            #expect(try await visitor.get("/public/votes/\(v.number)").0.status == .notFound)
            #expect(!(try await visitor.get(face).1.contains(v.number)))
            // when it is published
            try await later.perform(worker, v.id, .publish)
            // then the community's public face lists it, and its page gives the question, who counted, the dates
            // and the result with its arithmetic, never a name or a receipt
            let (_, faceHTML) = try await visitor.get(face)
            #expect(faceHTML.contains("/public/votes/\(v.number)") && faceHTML.contains("楼道加装扶手"))
            let (page, html) = try await visitor.get("/public/votes/\(v.number)")
            #expect(page.status == .ok && html.contains("楼道加装扶手") && html.contains("表决结果"))
            #expect(html.contains("1/2 = 50.0%") && html.contains("至少公示至"))
            #expect(!html.contains("王") && !html.contains("李") && !html.contains("/receipt"))
        }
    }
    @Test func theWorkerAdoptsAResolutionFromAPurelyOnlineVoteOnThePage() async throws {
        try await WebFixture.run { fixture, client in
            // given an online vote with no meeting that Wang voted yes in, closed
            let (worker, v, _) = try await closedVote(fixture, title: "楼道更换节能灯", secrecy: .open)
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // when the worker chooses the vote instead of a meeting
            let (_, start) = try await browser.get("/deliberation/resolutions/new")
            #expect(start.contains(#"name="vote""#) && start.contains(v.number))
            let path = "/deliberation/resolutions/new?vote=\(v.id)"
            let (_, form) = try await browser.get(path)
            #expect(form.contains("依据在线表决") && !form.contains(#"name="topic""#))
            // then a form without executors is refused beside the field, and a complete one adopts the resolution
            let fields = [
                "meeting": "", "vote": "\(v.id)", "text": "楼道统一更换节能灯。", "deadline": "2027-06-30",
            ]
            let (refused, refusedHTML) = try await browser.post(
                "/deliberation/resolutions", form: fields, csrfFrom: path)
            #expect(refused.status == .unprocessableContent && refusedHTML.contains("依据在线表决"))
            #expect(ErrorSummaryLinks.unresolved(in: refusedHTML).isEmpty)
            var complete = fields
            complete["executors"] = "person:\(worker.userID)"
            let (adopted, _) = try await browser.post("/deliberation/resolutions", form: complete, csrfFrom: path)
            #expect(adopted.status == .seeOther)
            let (_, page) = try await browser.get(try #require(adopted.headers[.location]))
            #expect(page.contains("楼道统一更换节能灯") && page.contains(v.number))
        }
    }
    @Test func aTopicPutToAnOnlineVoteIsDecidedByTheVotesResolutionOnThePages() async throws {
        try await WebFixture.run { fixture, client in
            // given a topic on the agenda of the first community
            _ = try await registry(fixture)
            let worker = try await actor(fixture, "worker")
            let now = Date()
            let topics = TopicCommands(db: fixture.db)
            let topic = try await topics.raise(
                worker,
                TopicProposal(
                    placeKind: .community, placeID: fixture.tree.community.id, title: "楼道加装扶手",
                    body: "老人上下楼不便，建议各楼道加装扶手。"))
            _ = try await topics.perform(worker, topic.id, .placeOnAgenda(note: ""))
            var browser = Browser(client: client)
            _ = try await browser.logIn("worker", WebFixture.password)
            // then its page offers to put it to an online vote, and the vote's form has it chosen
            let newVote = "/deliberation/votes/new?topic=\(topic.id)"
            let (_, agenda) = try await browser.get("/deliberation/topics/\(topic.id)")
            #expect(agenda.contains(newVote) && agenda.contains("提交网上表决"))
            let (_, voteForm) = try await browser.get(newVote)
            #expect(voteForm.contains(#"<option value="\#(topic.id)" selected>"#) && voteForm.contains("表决的议题"))
            // when a vote is drafted on it
            let commands = VoteCommands(db: fixture.db, clock: .system)
            let draft = try await commands.draft(
                worker,
                VotePlan(
                    communityID: fixture.tree.community.id, topicID: topic.id, title: "楼道加装扶手",
                    spec: try PollSpec(kind: .proposal), basis: .persons, opensAt: now.addingTimeInterval(-60),
                    closesAt: now.addingTimeInterval(3600), secrecy: .open))
            // then the topic is in the vote and links to it
            let (_, inVote) = try await browser.get("/deliberation/topics/\(topic.id)")
            #expect(inVote.contains("网上表决中") && inVote.contains("/deliberation/votes/\(draft.id)"))
            #expect(!inVote.contains(newVote))
            // when Wang votes yes and the vote closes
            let v = try await commands.perform(worker, draft.id, .schedule)
            _ = try await commands.cast(try await actor(fixture, "wang"), v.id, .proposal(.yes))
            try await VoteCommands(db: fixture.db, clock: .fixed(now.addingTimeInterval(3700))).perform(
                worker, v.id, .close)
            // then the new resolution's page for the vote names the topic it decides, read-only
            let path = "/deliberation/resolutions/new?vote=\(v.id)"
            let (_, form) = try await browser.get(path)
            #expect(form.contains("依据在线表决") && form.contains("决定的议题（即表决针对的议题）"))
            #expect(form.contains(topic.number) && form.contains("/deliberation/topics/\(topic.id)"))
            #expect(!form.contains(#"name="topic""#))
            // and adopting it decides the topic
            let (adopted, _) = try await browser.post(
                "/deliberation/resolutions",
                form: [
                    "meeting": "", "vote": "\(v.id)", "text": "各楼道加装扶手。", "deadline": "2027-06-30",
                    "executors": "person:\(worker.userID)",
                ], csrfFrom: path)
            #expect(adopted.status == .seeOther)
            let decided = try await TopicStore(db: fixture.db).record(topic.id, for: worker, now: Date()).topic
            #expect(decided.state == .decided && decided.resolutionID != nil && decided.voteID == v.id)
        }
    }
}
