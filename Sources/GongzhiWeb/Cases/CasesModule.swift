import GongzhiDomain
import ServiceLifecycle

extension ModuleManifest {
    /// Appeals, events and disputes through the closed loop, their set-up and measures, and Open311.
    static let cases = ModuleManifest(
        name: "cases",
        templates: [
            "cases/case", "cases/list", "cases/grids", "cases/map", "cases/measures", "cases/new", "cases/setup",
            "cases/track", "cases/reports", "cases/bulk",
            "cases/report", "cases/report_head", "cases/report_home", "cases/report_kind", "cases/report_place",
            "cases/report_details", "cases/report_visibility", "cases/report_check", "cases/report_sent",
        ],
        navigation: [
            NavigationEntry(order: 10, href: "/cases", label: "nav_cases", section: "cases"),
            NavigationEntry(
                order: 50, href: "/admin/cases", label: "nav_case_setup", section: "case_setup",
                visible: { actor in actor.grants.contains { AccessPolicy.allows($0, .configureCases, at: $0.nodePath) }
                }),
        ],
        routes: { services, groups in
            CasePages(services: services).register(on: groups.pages)
            CaseSetupPages(services: services).register(on: groups.pages)
            CaseMeasuresPage(services: services).register(on: groups.pages, api: groups.api)
            CaseAPI(services: services).register(on: groups.api)
            CaseTrackPages(services: services).register(on: groups.pages)
            CasePublicPages(services: services).register(on: groups.pages)
            CasePublicPages(services: services).register(api: groups.api)
            ReportPages(services: services).register(on: groups.pages)
            CaseTrackAPI(services: services).register(on: groups.api)
            Open311Routes(services: services).register(on: groups.machine("/open311/v2"))
        },
        noticeLinks: ["case": { CaseURL.show($0).path }],
        services: { services in [EscalationService.make(services.caseCommands)] })
}
