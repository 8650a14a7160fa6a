import Foundation

/// The part of their record a resident asks to have corrected (issue 12 item 9). Raw values name the stored value
/// and the locale keys (`correction_field_<raw>`).
public enum CorrectionField: String, CaseIterable, Codable, Sendable {
    case name
    case idNumber = "id_number"
    case phone
    case birthDate = "birth_date"
    case ethnicity
    case address
    case household
    case residence
    case tags
    case other
}

/// Where a resident's correction request stands.
public enum CorrectionStatus: String, CaseIterable, Codable, Sendable {
    /// Waiting for the grid worker.
    case pending
    /// The grid worker changed the record through the registry's writer.
    case applied
    /// The grid worker declined, saying why.
    case declined
}

/// A resident's request: which part and what is wrong, 2–500 characters (`correction_note_required` on `note`). The
/// note may hold personal data (a right phone number) and is sealed at rest.
public struct CorrectionRequest: Sendable, Equatable {
    public var field: CorrectionField
    public var note: String

    public init(field rawField: String, note rawNote: String) throws(DomainError) {
        guard let field = CorrectionField(rawValue: rawField) else {
            throw .invalid("correction_field_unknown", field: "field")
        }
        let note = rawNote.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...500).contains(note.count) else { throw .invalid("correction_note_required", field: "note") }
        self.field = field
        self.note = note
    }
}

/// The grid worker's answer: applied (with the record as it should read, through the registry's writer), or declined
/// with a reason of 2–200 characters (`correction_reason_required` on `reason`) the resident reads.
public enum CorrectionAnswer: Sendable, Equatable {
    case apply(PersonDraft)
    case decline(reason: String)

    public static func decline(rawReason: String) throws(DomainError) -> CorrectionAnswer {
        let reason = rawReason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...200).contains(reason.count) else {
            throw .invalid("correction_reason_required", field: "reason")
        }
        return .decline(reason: reason)
    }

    public var status: CorrectionStatus {
        switch self {
        case .apply: .applied
        case .decline: .declined
        }
    }

    public var action: String {
        switch self {
        case .apply: "registry.correction.apply"
        case .decline: "registry.correction.decline"
        }
    }

    /// Answered once (`correction_answered` otherwise).
    public static func requirePending(_ status: CorrectionStatus) throws(DomainError) {
        guard status == .pending else { throw .invalid("correction_answered") }
    }
}
