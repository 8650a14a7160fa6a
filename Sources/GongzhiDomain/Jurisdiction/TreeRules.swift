import Foundation

/// Rules for changing the jurisdiction tree, checked before anything is written.
public enum TreeRules {
    public static let maxNameLength = 60

    /// `field` names the form field the message belongs beside (a page may hold several name fields).
    public static func validName(_ raw: String, field: String = "name") throws(DomainError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .invalid("name_required", field: field) }
        guard name.count <= maxNameLength else {
            throw .invalid("name_too_long", field: field, args: ["\(maxNameLength)"])
        }
        return name
    }

    /// Administrative division codes: 6 digits (district, GB/T 2260), 9 digits (subdistrict/town),
    /// 12 digits (community/village, the statistical code); other levels use free local codes.
    public static func validCode(_ raw: String?, kind: NodeKind) throws(DomainError) -> String? {
        guard let code = raw?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
        guard code.count <= 32, code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw .invalid("code_invalid", field: "code", args: [code])
        }
        let digitsOnly = code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber)
        switch kind {
        case .district where !(digitsOnly && code.count == 6),
            .subdistrict where !(digitsOnly && code.count == 9),
            .town where !(digitsOnly && code.count == 9):
            throw .invalid("code_invalid", field: "code", args: [code])
        default: return code
        }
    }

    /// May a node of `kind` be placed under `parent` (nil: at the top)?
    public static func checkPlacement(_ kind: NodeKind, under parent: Node?) throws(DomainError) {
        guard let parent else {
            guard kind.mayBeRoot else { throw .invalid("node_needs_parent", field: "parent") }
            return
        }
        guard parent.isOpen else { throw .invalid("parent_closed", field: "parent") }
        guard parent.kind.mayHold(kind) else {
            throw .invalid("node_kind_not_allowed", field: "parent", args: [kind.rawValue, parent.kind.rawValue])
        }
    }

    /// Moving `node` under `newParent` must keep the tree a tree and the levels in order.
    public static func checkMove(_ node: Node, to newParent: Node) throws(DomainError) {
        guard newParent.id != node.id, !node.contains(newParent) else {
            throw .invalid("tree_cycle", field: "parent")
        }
        try checkPlacement(node.kind, under: newParent)
    }

    /// A node may be closed only when nothing open hangs below it.
    public static func checkClose(_ node: Node, openChildren: Int) throws(DomainError) {
        guard node.isOpen else { throw DomainError(.conflict, "node_already_closed") }
        guard openChildren == 0 else {
            throw DomainError(.conflict, "node_has_open_children", args: ["\(openChildren)"])
        }
    }
}
