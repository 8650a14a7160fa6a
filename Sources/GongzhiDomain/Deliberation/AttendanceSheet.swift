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

    /// Those present on the sheet's basis (people, or households).
    public var present: Int { signatures.count }
}
