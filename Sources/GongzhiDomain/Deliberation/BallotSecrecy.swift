import Foundation

/// Whether a ballot is open (who chose what is on record, as owners sign their ballots) or secret.
public enum BallotSecrecy: String, CaseIterable, Codable, Sendable { case open, secret }

/// A vote's secrecy and result visibility, which only ever tighten: open may become secret, never the other way;
/// results shown while the vote runs may be hidden until the close, never shown again before it. A secret ballot
/// always hides its results until the close.
public struct SecrecySetting: Sendable, Equatable, Codable {
    public private(set) var secrecy: BallotSecrecy
    public private(set) var resultsBeforeClose: Bool

    /// A new vote's setting; a secret ballot never shows results before the close, whatever was asked.
    public init(secrecy: BallotSecrecy, resultsBeforeClose: Bool = false) {
        self.secrecy = secrecy
        self.resultsBeforeClose = secrecy == .open && resultsBeforeClose
    }

    /// The setting after a change, or `secrecy_one_way` for secret → open and `results_visibility_one_way` for
    /// showing results before the close once they were hidden. Going secret also hides the results.
    public func changed(to secrecy: BallotSecrecy, resultsBeforeClose: Bool) throws(DomainError) -> SecrecySetting {
        guard !(self.secrecy == .secret && secrecy == .open) else {
            throw DomainError(.conflict, "secrecy_one_way")
        }
        let show = secrecy == .open && resultsBeforeClose
        guard !show || self.resultsBeforeClose else { throw DomainError(.conflict, "results_visibility_one_way") }
        return SecrecySetting(secrecy: secrecy, resultsBeforeClose: show)
    }

    /// Whether a change to this setting means choices already recorded with their voter must lose that link now
    /// (an open vote that went secret).
    public func requiresUnlinking(from earlier: SecrecySetting) -> Bool {
        earlier.secrecy == .open && secrecy == .secret
    }

    /// Whether results (and running counts) may be shown at `instant`.
    public func resultsVisible(at instant: Date, window: VoteWindow) -> Bool {
        window.isClosed(at: instant) || resultsBeforeClose
    }
}

/// What was chosen, stored apart from who took part. For a secret ballot it carries no voter, no time and nothing
/// else that orders it against the participation records: only the choice, the channel and the receipt code the
/// voter keeps to find their ballot in the published list. For an open ballot it names the voter (the evidence an
/// owner's signed ballot is).
public struct ChoiceRecord: Sendable, Equatable, Codable {
    public var ballot: PollBallot
    public var channel: BallotChannel
    public var receipt: ReceiptCode
    /// Only for open ballots.
    public var voter: VoterKey?

    public init(ballot: PollBallot, channel: BallotChannel, receipt: ReceiptCode, voter: VoterKey?) {
        self.ballot = ballot
        self.channel = channel
        self.receipt = receipt
        self.voter = voter
    }
}

/// The design of a secret ballot, as the values the store writes (issue 13, rules-votes §6.3): one
/// `ParticipationRecord` per voter (the roll mark: who, how, when; no choice) and one `ChoiceRecord` per ballot (the
/// choice and a random receipt code; no voter, no time). The two are written in one transaction and share no key,
/// so someone reading the database learns who voted and what was chosen, never who chose what. The store must give
/// choice rows no ascending id or insertion time (key them by the receipt code) and publish the list of receipts
/// with their choices after the close; the voter is shown their code once.
public enum SecretBallotDesign {
    /// Splits one admitted ballot into its two records. `receiptBytes` are at least 10 random bytes from the store's
    /// generator (`receipt_entropy_short` otherwise); the ballot must fit the poll.
    public static func records(
        of ballot: PollBallot, spec: PollSpec, participation: ParticipationRecord, secrecy: BallotSecrecy,
        receiptBytes: [UInt8]
    ) throws(DomainError) -> (participation: ParticipationRecord, choice: ChoiceRecord) {
        try spec.validate(ballot)
        let receipt = try ReceiptCode(randomBytes: receiptBytes)
        let choice = ChoiceRecord(
            ballot: ballot, channel: participation.channel, receipt: receipt,
            voter: secrecy == .open ? participation.voter : nil)
        return (participation, choice)
    }

    /// Refuses a choice record of a secret ballot that names its voter (`secret_choice_linked`): the check the store
    /// runs before it writes one.
    public static func checkUnlinked(_ choice: ChoiceRecord, secrecy: BallotSecrecy) throws(DomainError) {
        if secrecy == .secret, choice.voter != nil { throw DomainError(.conflict, "secret_choice_linked") }
    }
}

/// A ballot's receipt code: 80 random bits in Crockford's base 32 with a Luhn mod 32 check character, written in
/// groups (`K7QM-2X9D-P3TA-HW8C-Z`). Read back with the usual confusions forgiven (I and L are 1, O is 0, any
/// case, any dashes or spaces).
public struct ReceiptCode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 17 symbols without separators.
    public let symbols: String

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A code from the first 10 of `randomBytes` (`receipt_entropy_short` for fewer).
    public init(randomBytes: [UInt8]) throws(DomainError) {
        guard randomBytes.count >= 10 else { throw DomainError(.invalid, "receipt_entropy_short") }
        var values: [Int] = []
        var buffer = 0
        var bits = 0
        for byte in randomBytes.prefix(10) {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                values.append((buffer >> (bits - 5)) & 31)
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        values.append(Self.checkValue(values))
        symbols = String(values.map { Self.alphabet[$0] })
    }

    /// Reads a code as a voter types it; nil when it is not 17 symbols or its check character does not match.
    public init?(_ text: String) {
        var values: [Int] = []
        for ch in HalfWidth.fold(text).uppercased() where ch != "-" && ch != " " {
            let folded: Character =
                switch ch {
                case "I", "L": "1"
                case "O": "0"
                default: ch
                }
            guard let v = Self.alphabet.firstIndex(of: folded) else { return nil }
            values.append(v)
        }
        guard values.count == 17, Self.checkValue(Array(values.dropLast())) == values.last else { return nil }
        symbols = String(values.map { Self.alphabet[$0] })
    }

    /// `K7QM-2X9D-P3TA-HW8C-Z`.
    public var description: String {
        stride(from: 0, to: symbols.count, by: 4).map { i in
            String(symbols.dropFirst(i).prefix(4))
        }.joined(separator: "-")
    }

    /// Luhn mod N over base 32: catches every single wrong symbol and most swaps of neighbours.
    static func checkValue(_ values: [Int]) -> Int {
        var factor = 2
        var sum = 0
        for v in values.reversed() {
            let addend = factor * v
            sum += addend / 32 + addend % 32
            factor = factor == 2 ? 1 : 2
        }
        return (32 - sum % 32) % 32
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = ReceiptCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a receipt"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(symbols)
    }
}
