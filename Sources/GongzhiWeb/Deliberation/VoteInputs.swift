import Foundation
import GongzhiDomain
import GongzhiStore

/// A list from JSON (an array of strings or numbers) or from a form (one text, split on new lines, commas or the
/// Chinese enumeration comma).
struct LooseList: Decodable, Sendable, Equatable {
    let items: [String]
    init(_ items: [String]) { self.items = items }
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            items = []
        } else if let list = try? c.decode([String].self) {
            items = list
        } else if let numbers = try? c.decode([Int64].self) {
            items = numbers.map(String.init)
        } else {
            let text = try c.decode(String.self)
            let separators = text.contains("\n") ? CharacterSet.newlines : CharacterSet(charactersIn: ",，、")
            items = text.components(separatedBy: separators).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
    }

    /// The items as whole numbers, or `number_invalid` on `field`.
    func numbers(field: String) throws(DomainError) -> [Int] {
        var out: [Int] = []
        for item in items {
            guard let n = Int(HalfWidth.fold(item)) else { throw .invalid("number_invalid", field: field) }
            out.append(n)
        }
        return out
    }
}

/// A new vote, from the form or JSON alike.
struct VotePlanInput: Decodable, Sendable {
    var community: LooseInt?
    var scope: LooseInt?
    var topic: LooseInt?
    var meeting: LooseInt?
    var title: String?
    var kind: String?
    var options: LooseList?
    var choicesMin: LooseInt?
    var choicesMax: LooseInt?
    var basis: String?
    var matter: String?
    var opensAt: String?
    var closesAt: String?
    var secrecy: String?
    var resultsBeforeClose: LooseBool?
    var proxiesAllowed: LooseBool?
    var maxMandates: LooseInt?

    enum CodingKeys: String, CodingKey {
        case community, scope, topic, meeting, title, kind, options, basis, matter, secrecy
        case choicesMin = "choices_min"
        case choicesMax = "choices_max"
        case opensAt = "opens_at"
        case closesAt = "closes_at"
        case resultsBeforeClose = "results_before_close"
        case proxiesAllowed = "proxies_allowed"
        case maxMandates = "max_mandates"
    }

    func plan() throws -> VotePlan {
        guard let community = community?.value else {
            throw DomainError.invalid("vote_community_invalid", field: "community")
        }
        guard let kind = PollKind(rawValue: kind ?? PollKind.proposal.rawValue) else {
            throw DomainError.invalid("vote_kind_unknown", field: "kind")
        }
        guard let basis = VotingBasis(rawValue: basis ?? VotingBasis.persons.rawValue) else {
            throw DomainError.invalid("vote_basis_unknown", field: "basis")
        }
        var matterValue: OwnersMatter?
        if basis == .owners, let matter, !matter.isEmpty {
            guard let m = OwnersMatter(rawValue: matter) else {
                throw DomainError.invalid("vote_owners_matter_required", field: "matter")
            }
            matterValue = m
        }
        guard let secrecy = BallotSecrecy(rawValue: secrecy ?? BallotSecrecy.secret.rawValue) else {
            throw DomainError.invalid("vote_secrecy_unknown", field: "secrecy")
        }
        guard let opens = opensAt.flatMap(MeetingPlanInput.instant) else {
            throw DomainError.invalid("vote_time_invalid", field: "opens_at")
        }
        guard let closes = closesAt.flatMap(MeetingPlanInput.instant) else {
            throw DomainError.invalid("vote_time_invalid", field: "closes_at")
        }
        let options = self.options?.items ?? []
        let low = Int(choicesMin?.value ?? 1)
        let high = Int(choicesMax?.value ?? Int64(kind == .multipleChoice ? max(1, options.count) : 1))
        guard low >= 0, high >= low else { throw DomainError.invalid("poll_choices_invalid", field: "choices") }
        let spec = try PollSpec(kind: kind, options: options, choices: low...high)
        let proxies =
            proxiesAllowed?.value == true
            ? ProxyRules(allowed: true, maxMandatesPerProxy: maxMandates?.value.map(Int.init)) : ProxyRules.none
        return VotePlan(
            communityID: community, scopeNodeID: scope?.value, topicID: topic?.value, meetingID: meeting?.value,
            title: title ?? "", spec: spec, basis: basis, matter: matterValue, opensAt: opens, closesAt: closes,
            secrecy: secrecy, resultsBeforeClose: resultsBeforeClose?.value ?? false, proxies: proxies)
    }
}

/// A ballot: `choice` for a proposal or consent (`yes`, `object`, …) or the option numbers (from 0) chosen,
/// `scores` for a scored poll, `times` (`yes`, `ifNeedBe`, `no` per time) for a meeting-time poll; `voter` names
/// the roll entry cast for by proxy (`person:7`).
struct BallotInput: Decodable, Sendable {
    var choice: LooseList?
    var scores: LooseList?
    var times: LooseList?
    var voter: String?

    func ballot(for spec: PollSpec) throws(DomainError) -> PollBallot {
        let invalid = DomainError.invalid("poll_ballot_invalid", field: "ballot")
        let picked = choice?.items ?? []
        // Nothing ticked at all: say so, rather than that the ballot does not fit.
        let mayPickNone = [.singleChoice, .multipleChoice].contains(spec.kind) && spec.choices.contains(0)
        if !mayPickNone, picked.isEmpty, (scores?.items ?? []).isEmpty, (times?.items ?? []).isEmpty {
            throw .invalid("vote_choice_required", field: "ballot")
        }
        switch spec.kind {
        case .proposal:
            guard picked.count == 1, let c = ProposalChoice(rawValue: picked[0]) else { throw invalid }
            return .proposal(c)
        case .consent:
            guard picked.count == 1, let c = ConsentChoice(rawValue: picked[0]) else { throw invalid }
            return .consent(c)
        case .singleChoice, .multipleChoice:
            return .choices(try choice?.numbers(field: "ballot") ?? [])
        case .score:
            return .scores(try scores?.numbers(field: "ballot") ?? [])
        case .meetingTime:
            var answers: [Availability] = []
            for item in times?.items ?? [] {
                guard let a = Availability(rawValue: item) else { throw invalid }
                answers.append(a)
            }
            return .times(answers)
        }
    }

    func voterKey() throws(DomainError) -> VoterKey? {
        guard let voter, !voter.isEmpty else { return nil }
        guard let key = VoteKeyText.parse(voter) else { throw .invalid("vote_voter_unknown", field: "voter") }
        return key
    }
}

/// Voter keys as the pages and the API write them: `person:7`, `household:3`, `owner:12`, `developer`.
enum VoteKeyText {
    static func parse(_ text: String) -> VoterKey? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text == "developer" { return .ownerHead(.developerUnsold) }
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = Int64(parts[1]) else { return nil }
        switch parts[0] {
        case "person": return .person(id)
        case "household": return .household(id)
        case "owner": return .ownerHead(.owner(id))
        default: return nil
        }
    }
}

/// Every organiser's step on a vote: one input type, each step reading the fields it needs.
struct VoteStepInput: Decodable, Sendable {
    var principal: String?
    var proxyPerson: LooseInt?
    var document: String?
    var signedOn: String?
    var instructions: String?
    var voter: String?
    var box: String?
    var issued: LooseInt?
    var returned: LooseInt?
    var void: LooseInt?
    var blank: LooseInt?
    var marks: LooseList?
    var scrutineers: LooseList?
    /// The tally sheet's photo, base64 in JSON (a form sends it as a file).
    var photo: Data?
    var secrecy: String?
    var resultsBeforeClose: LooseBool?
    /// What an owner's paper ballot says: `yes`, `no`, `abstain`, `blank` or `void`.
    var mark: String?
    /// Why a paper ballot read in wrongly is corrected.
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case principal, document, instructions, voter, box, issued, returned, void, blank, marks, scrutineers, photo
        case secrecy, mark, reason
        case proxyPerson = "proxy_person"
        case signedOn = "signed_on"
        case resultsBeforeClose = "results_before_close"
    }

    func command(_ step: VoteCapability, today: CalendarDate) throws -> VoteCommand {
        func count(_ value: LooseInt?, _ field: String) throws(DomainError) -> Int {
            guard let n = value?.value else { throw .invalid("number_invalid", field: field) }
            return Int(n)
        }
        switch step {
        case .schedule: return .schedule
        case .close: return .close
        case .publish: return .publish
        case .proxy:
            guard let principal = principal.flatMap(VoteKeyText.parse) else {
                throw DomainError.invalid("vote_voter_unknown", field: "principal")
            }
            guard let proxy = proxyPerson?.value else {
                throw DomainError.invalid("vote_proxy_person_required", field: "proxy_person")
            }
            let day = (signedOn?.isEmpty ?? true) ? today : signedOn.flatMap(CalendarDate.init)
            guard let day else { throw DomainError.invalid("date_invalid", field: "signed_on") }
            return .proxy(
                ProxyMandate(
                    principal: principal, proxyPersonID: proxy, document: document ?? "", signedOn: day,
                    instructions: instructions.flatMap { $0.isEmpty ? nil : $0 }))
        case .issuePaper:
            guard let voter = voter.flatMap(VoteKeyText.parse) else {
                throw DomainError.invalid("vote_voter_unknown", field: "voter")
            }
            return .issuePaper(voter: voter, box: box ?? "")
        case .enterBox:
            return .enterBox(
                PaperBoxTotals(
                    box: box ?? "", issued: try count(issued, "issued"), returned: try count(returned, "returned"),
                    void: Int(void?.value ?? 0), blank: Int(blank?.value ?? 0),
                    marks: try marks?.numbers(field: "marks") ?? [], scrutineers: scrutineers?.items ?? [],
                    tallySheetPhoto: nil))
        case .signBox: return .signBox(box: box ?? "")
        case .paperBallot, .correctPaperBallot:
            guard let voter = voter.flatMap(VoteKeyText.parse) else {
                throw DomainError.invalid("vote_voter_unknown", field: "voter")
            }
            guard let mark = mark.flatMap(PaperMark.init(rawValue:)) else {
                throw DomainError.invalid("vote_paper_mark_unknown", field: "mark")
            }
            let ballot = PaperOwnerBallot(voter: voter, box: box ?? "", mark: mark)
            return step == .paperBallot ? .paperBallot(ballot) : .correctPaperBallot(ballot, reason: reason ?? "")
        case .secrecy:
            guard let secrecy = secrecy.flatMap(BallotSecrecy.init(rawValue:)) else {
                throw DomainError.invalid("vote_secrecy_unknown", field: "secrecy")
            }
            return .secrecy(secrecy, resultsBeforeClose: resultsBeforeClose?.value ?? false)
        case .read, .cast: throw DomainError.notFound
        }
    }

    static func decode(_ data: Data) throws -> VoteStepInput {
        do { return try JSONDecoder().decode(VoteStepInput.self, from: data) } catch let error as DomainError {
            throw error
        } catch { throw DomainError.invalid("form_malformed", field: Form.field(of: error)) }
    }
}

extension Form {
    /// The form's fields as JSON, a field sent several times (check boxes) as a list.
    var jsonWithLists: Data {
        let object = values.compactMapValues { list -> Any? in list.count > 1 ? list : list.first }
        return (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
    }
}

extension Vote {
    /// The ETag of this version of the vote.
    var etag: String { "\"\(version)\"" }
}
