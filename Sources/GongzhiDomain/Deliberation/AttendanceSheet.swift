import Foundation

/// One signature on a meeting's attendance sheet.
public struct AttendanceSignature: Sendable, Equatable, Codable {
    public var personID: Int64
    public var householdID: Int64?
    public var at: Date

    public init(personID: Int64, householdID: Int64?, at: Date) {
        self.personID = personID
        self.householdID = householdID
        self.at = at
    }
}

/// The attendance of a meeting on its basis: one signature per person, and where the basis is households one per
/// household (the first member to sign represents it). `present` feeds the quorum.
public struct AttendanceSheet: Sendable, Equatable, Codable {
    public var basis: CountBasis
    public private(set) var signatures: [AttendanceSignature]

    public init(basis: CountBasis) {
        self.basis = basis
        self.signatures = []
    }

    /// A sheet as stored: its signatures in the order they were made.
    public init(basis: CountBasis, signatures: [AttendanceSignature]) {
        self.basis = basis
        self.signatures = signatures
    }

    /// The sheet with `personID` signed in; refuses a second signature of the person (`attendance_signed_twice`),
    /// on the household basis a signature without a household (`attendance_household_required`) or for a household
    /// already signed for (`attendance_household_signed`, args: the household).
    public func signed(_ personID: Int64, household: Int64?, at instant: Date) throws(DomainError) -> AttendanceSheet {
        guard !signatures.contains(where: { $0.personID == personID }) else {
            throw DomainError(.conflict, "attendance_signed_twice")
        }
        if basis.countsHouseholds {
            guard let household else { throw .invalid("attendance_household_required", field: "household") }
            guard !signatures.contains(where: { $0.householdID == household }) else {
                throw DomainError(.conflict, "attendance_household_signed", args: ["\(household)"])
            }
        }
        var next = self
        next.signatures.append(AttendanceSignature(personID: personID, householdID: household, at: instant))
        return next
    }

    /// The sheet without `personID`'s signature (a mistaken one); `attendance_signature_unknown` when they have not
    /// signed.
    public func removing(_ personID: Int64) throws(DomainError) -> AttendanceSheet {
        guard signatures.contains(where: { $0.personID == personID }) else {
            throw .invalid("attendance_signature_unknown", field: "person")
        }
        var next = self
        next.signatures.removeAll { $0.personID == personID }
        return next
    }

    /// Those present on the sheet's basis (people, or households).
    public var present: Int { signatures.count }
}

/// Who is signing in, as the registry knows them when they sign.
public struct AttendanceSigner: Sendable, Equatable {
    public var personID: Int64
    public var householdID: Int64?
    /// Lives in the meeting's community (not moved out, not anonymised).
    public var inScope: Bool
    public var age: Int

    public init(personID: Int64, householdID: Int64?, inScope: Bool, age: Int) {
        self.personID = personID
        self.householdID = householdID
        self.inScope = inScope
        self.age = age
    }
}

extension AttendanceSheet {
    /// Adults on an adult residents' basis (城市居民委员会组织法 2025 art. 16 counts those aged 18 or over).
    public static let adultAge = 18

    /// The bases a sheet of a meeting under `rules` may be kept on: its quorum's bases, or one signature per person
    /// for a kind without a quorum.
    public static func bases(_ rules: MeetingRules) -> [CountBasis] { rules.quorum?.bases ?? [.adultResidents] }

    /// Signs `signer` in on the sheet of a meeting in `state`, the sheet (`current`, nil while empty) keeping the
    /// basis its first signature chose (`basis`, nil for the first the rules allow). Refuses signing once the meeting
    /// is no longer scheduled (`attendance_meeting_closed`), a person outside the meeting's community
    /// (`attendance_outside_scope`), a basis the rules do not allow or that differs from the sheet's
    /// (`attendance_basis_invalid`), a minor on an adult residents' basis (`attendance_not_adult`), and whatever
    /// `signed` refuses.
    public static func signIn(
        _ signer: AttendanceSigner, basis: CountBasis?, on current: AttendanceSheet?, state: MeetingState,
        rules: MeetingRules, at instant: Date
    ) throws(DomainError) -> AttendanceSheet {
        guard state == .scheduled else { throw DomainError(.conflict, "attendance_meeting_closed") }
        guard signer.inScope else { throw .invalid("attendance_outside_scope", field: "person") }
        let allowed = bases(rules)
        let sheet: AttendanceSheet
        if let current, !current.signatures.isEmpty {
            guard basis == nil || basis == current.basis else {
                throw .invalid("attendance_basis_invalid", field: "basis", args: [current.basis.rawValue])
            }
            sheet = current
        } else {
            let chosen = basis ?? allowed[0]
            guard allowed.contains(chosen) else {
                throw .invalid("attendance_basis_invalid", field: "basis", args: [chosen.rawValue])
            }
            sheet = AttendanceSheet(basis: chosen)
        }
        if sheet.basis == .adultResidents, signer.age < adultAge {
            throw .invalid("attendance_not_adult", field: "person", args: ["\(adultAge)"])
        }
        return try sheet.signed(signer.personID, household: signer.householdID, at: instant)
    }
}
