import Foundation
import GongzhiDomain
import GongzhiStore

/// Page models of the question pages, built by pure functions.
enum ReportViews {
    struct KindOption: Sendable, Equatable {
        var id: Int64
        var label: String
        var checked: Bool
        /// The first option of a parent category's group starts a new heading.
        var group: String
        var startsGroup: Bool
    }

    /// The categories a resident picks from, grouped under their parent; `chosen` is the draft's answer.
    static func kindOptions(_ categories: [CaseCategory], chosen: Int64?) -> [KindOption] {
        let names = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0.name) })
        let parents = Set(categories.compactMap(\.parentID))
        var out: [KindOption] = []
        // Leaves only: a parent with sub-categories is a heading, not a choice.
        let roots = categories.filter { $0.parentID == nil }
        for root in roots {
            let children = categories.filter { $0.parentID == root.id }
            if children.isEmpty {
                out.append(
                    KindOption(id: root.id, label: root.name, checked: root.id == chosen, group: "", startsGroup: false)
                )
            }
            for (i, child) in children.enumerated() where !parents.contains(child.id) {
                out.append(
                    KindOption(
                        id: child.id, label: child.name, checked: child.id == chosen, group: names[root.id] ?? "",
                        startsGroup: i == 0))
            }
        }
        return out
    }

    /// An open public case the resident may be about to report again, with "this is my problem too".
    struct Similar: Sendable, Equatable {
        var href: String
        var title: String
        var status: String
        var place: String
        var createdAt: String
        var supporters: String
        var hasSupporters: Bool
        var supportHref: String
    }

    static func similar(_ p: PublicCase, language: Language, words: CaseViews.Words, supporters: String) -> Similar {
        let row = CaseViews.publicRow(p, language: language, words: words)
        return Similar(
            href: row.href, title: row.title, status: row.status, place: row.place, createdAt: row.createdAt,
            supporters: supporters, hasSupporters: p.supporters > 0,
            supportHref: CaseURL.reportStep(p.case.number, .support).path)
    }

    struct Answer: Sendable, Equatable {
        var question: String
        var answer: String
        var change: String
        var changeLabel: String
    }

    /// The check page's rows: each question, its answer and a link to change it.
    static func answers(
        _ draft: ReportDraft, categories: [CaseCategory], place: String, words: CaseViews.Words
    ) -> [Answer] {
        let names = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0.name) })
        let category = draft.categoryID.map { id in
            let c = categories.first { $0.id == id }
            return [c?.parentID.flatMap { names[$0] }, c?.name].compactMap { $0 }.joined(separator: " › ")
        }
        func row(_ q: ReportQuestion, _ answer: String) -> Answer {
            Answer(
                question: words("report_a_\(q.rawValue)"), answer: answer,
                change: ReportURL.question(q).path, changeLabel: words("report_change_\(q.rawValue)"))
        }
        return [
            row(.kind, category ?? words("case_category_unsure")),
            row(.place, place),
            Answer(
                question: words("case_title"), answer: draft.title, change: ReportURL.question(.details).path,
                changeLabel: words("report_change_title")),
            Answer(
                question: words("case_description"), answer: draft.description,
                change: ReportURL.question(.details).path, changeLabel: words("report_change_description")),
            Answer(
                question: words("case_photo"),
                answer: draft.photos.isEmpty
                    ? words("report_no_photos") : words("report_photo_count_\(draft.photos.count)"),
                change: ReportURL.question(.details).path, changeLabel: words("report_change_photos")),
            row(.visibility, draft.isPublic == true ? words("report_public_yes") : words("report_public_no")),
        ]
    }
}
