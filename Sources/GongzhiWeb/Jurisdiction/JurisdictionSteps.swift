import Foundation
import GongzhiDomain
import Hummingbird

/// One step on a node: its name (which names its URL), the capability that offers it, whether it creates something
/// (201 in the API), and how its input becomes a command. The page and the API register every step from this list.
struct NodeStep: Sendable {
    enum Name: String, CaseIterable, Sendable {
        case children, rename, move, close, split, merge, bodies, estates
        case renameEstate = "rename_estate"
        case estate
    }

    let name: Name
    let creates: Bool
    let fromForm: @Sendable (Form) throws -> JurisdictionCommand
    let fromJSON: @Sendable (Request, AppRequestContext) async throws -> JurisdictionCommand

    static func make<I: Decodable & Sendable>(
        _ name: Name, _ input: I.Type, creates: Bool = false,
        _ command: @escaping @Sendable (I) throws -> JurisdictionCommand
    ) -> NodeStep {
        NodeStep(
            name: name, creates: creates, fromForm: { form in try command(try form.decode(I.self)) },
            fromJSON: { request, context in try command(try await request.decodeInput(I.self, context: context)) })
    }

    static let all: [NodeStep] = [
        make(.children, NewNodeInput.self, creates: true) { try $0.command() },
        make(.rename, NameInput.self) { .rename(name: $0.text) },
        make(.move, MoveInput.self) { try $0.command() },
        make(.close, EmptyInput.self) { _ in .close },
        make(.split, SplitInput.self, creates: true) { $0.command() },
        make(.merge, MergeGridsInput.self, creates: true) { try $0.command() },
        make(.bodies, NewBodyInput.self, creates: true) { try $0.command() },
        make(.estates, NameInput.self, creates: true) { .createEstate(name: $0.text) },
        make(.renameEstate, EstateRenameInput.self) { try $0.command() },
        make(.estate, EstateAssignInput.self) { .assignEstate(estateID: $0.estate?.value) },
    ]

    /// The step a page offers for a capability, when there is one.
    static func name(for capability: JurisdictionCapability) -> Name? {
        switch capability {
        case .createChild: .children
        case .rename: .rename
        case .move: .move
        case .close: .close
        case .splitGrid: .split
        case .mergeGrids: .merge
        case .createBody: .bodies
        case .manageEstates: .estates
        case .assignEstate: .estate
        case .view, .export, .importRows, .editBody, .editBoundary: nil
        }
    }
}

/// One step on a governance body or an item of its duty list; all need `editBody`.
struct BodyStep: Sendable {
    enum Name: String, CaseIterable, Sendable {
        case rename, reorder, close, duties
        case renameDuty = "rename_duty"
        case reorderDuty = "reorder_duty"
        case closeDuty = "close_duty"
    }

    let name: Name
    let creates: Bool
    let fromForm: @Sendable (Form) throws -> BodyCommand
    let fromJSON: @Sendable (Request, AppRequestContext) async throws -> BodyCommand

    static func make<I: Decodable & Sendable>(
        _ name: Name, _ input: I.Type, creates: Bool = false, _ command: @escaping @Sendable (I) throws -> BodyCommand
    ) -> BodyStep {
        BodyStep(
            name: name, creates: creates, fromForm: { form in try command(try form.decode(I.self)) },
            fromJSON: { request, context in try command(try await request.decodeInput(I.self, context: context)) })
    }

    static let all: [BodyStep] = [
        make(.rename, NameInput.self) { .rename(name: $0.text) },
        make(.reorder, PositionInput.self) { .reorder(position: try $0.value()) },
        make(.close, EmptyInput.self) { _ in .close },
        make(.duties, NewDutyInput.self, creates: true) {
            .addDuty(parentID: $0.parentId?.value, title: $0.title ?? "")
        },
        make(.renameDuty, DutyItemInput.self) { .renameDuty(itemID: try $0.id(), title: $0.title ?? "") },
        make(.reorderDuty, DutyItemInput.self) {
            .reorderDuty(itemID: try $0.id(), position: try PositionInput(position: $0.position).value())
        },
        make(.closeDuty, DutyItemInput.self) { .closeDuty(itemID: try $0.id()) },
    ]
}

extension Node {
    /// The ETag of this version of the node.
    var etag: String { "\"\(version)\"" }
}

extension Body {
    var etag: String { "\"\(version)\"" }
}
