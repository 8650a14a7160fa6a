import Foundation

/// A step staff take on many cases of a list at once. Each case still goes through the one writer (policy, version
/// check and audit entry per case); this only names which command every selected case gets.
public enum CaseBulkStep: String, CaseIterable, Sendable, Codable {
    /// Accept and file (受理), keeping the category the reporter chose.
    case file
    /// Dispatch (派遣) to the unit and with the deadlines the category's routing rule names.
    case dispatch

    /// The command each selected case gets.
    public var command: CaseCommand {
        switch self {
        case .file: .file(categoryID: nil)
        case .dispatch: .dispatch(unitID: nil)
        }
    }

    public var capability: CaseCapability { command.capability }

    /// At most this many cases in one request, so one press stays one short wait.
    public static let maxCases = 200
}
