import Foundation
import GongzhiDomain
import GongzhiStore
import Logging
import ServiceLifecycle

extension ModuleManifest {
    /// Deliberation (议事协商): topics with co-signatures, their discussion and the cases sent to deliberation, and the
    /// meetings that take topics up.
    static let deliberation = ModuleManifest(
        name: "deliberation",
        templates: [
            "deliberation/list", "deliberation/topic", "deliberation/new", "deliberation/meetings",
            "deliberation/meeting", "deliberation/meeting_new", "deliberation/rules", "deliberation/votes",
            "deliberation/vote", "deliberation/vote_new",
            // Resolutions and the public face (issue 13 items 5 and 7).
            "deliberation/resolutions", "deliberation/resolution", "deliberation/resolution_new",
            "deliberation/public_community", "deliberation/public_resolution", "deliberation/conventions",
            "deliberation/convention", "deliberation/convention_body", "deliberation/public_convention",
            "deliberation/public_index", "deliberation/public_vote",
            // The attendance sheet's and the roll's picker, and a vote's published receipts (issue 13).
            "deliberation/picker", "deliberation/receipts",
        ],
        navigation: [
            NavigationEntry(
                order: 20, href: DeliberationURL.list.path, label: "nav_deliberation", section: "deliberation")
        ],
        routes: { services, groups in
            DeliberationPages(services: services).register(on: groups.pages)
            DeliberationAPI(services: services).register(on: groups.api)
            MeetingRoutes(services: services).register(pages: groups.pages, api: groups.api)
            TopicRulesRoutes(services: services).register(pages: groups.pages, api: groups.api)
            VoteRoutes(services: services).register(pages: groups.pages, api: groups.api)
            ResolutionRoutes(services: services).register(pages: groups.pages, api: groups.api)
            DeliberationPublicPages(services: services).register(on: groups.pages)
            ConventionRoutes(services: services).register(pages: groups.pages, api: groups.api)
        },
        noticeLinks: [
            "topic": { DeliberationURL.show($0).path }, "meeting": { DeliberationURL.meeting($0).path },
            "resolution": { ResolutionURL.show($0).path }, "convention": { "/deliberation/conventions/\($0)" },
        ],
        services: { services in
            [
                TopicExpiryService.make(services.topicCommands),
                ResolutionFollowUpService.make(services.resolutionCommands),
            ]
        })
}

/// Archives topics whose co-signature window ended below the threshold, once a minute. Every instance may run it:
/// `expireDue` moves each topic through `perform` with the version it saw, so a topic is archived once.
struct TopicExpiryService {
    static func make(_ commands: TopicCommands, every interval: Duration = .seconds(60)) -> PeriodicService {
        PeriodicService(label: "gongzhi.topics.expiry", every: interval) { logger in
            let archived = try await commands.expireDue()
            if archived > 0 { logger.info("archived expired topics", metadata: ["count": "\(archived)"]) }
        }
    }
}
