import Foundation

/// How a person lives in the community, as the registry counts them. Raw values name the locale keys
/// (`residence_status_<raw>`).
public enum ResidenceStatus: String, CaseIterable, Codable, Sendable {
    /// 户籍人口: registered here (户籍) and living here.
    case registered
    /// 人户分离: registered here but living elsewhere.
    case livingElsewhere
    /// 流动人口: living here without registration, normally with a residence permit (居住证).
    case floating
    /// 境外人员: a foreign national (or a resident of Hong Kong, Macao or Taiwan) living here.
    case foreign

    public var chineseName: String {
        switch self {
        case .registered: "户籍人口"
        case .livingElsewhere: "人户分离"
        case .floating: "流动人口"
        case .foreign: "境外人员"
        }
    }
}

/// A residence permit's dates (居住证, for floating residents): valid from `start` to `end`, both inclusive.
public struct ResidencePermit: Sendable, Hashable, Codable {
    public var start: CalendarDate
    public var end: CalendarDate

    /// Refuses an end before the start (`residence_permit_dates`, on `permit_end`).
    public init(start: CalendarDate, end: CalendarDate) throws(DomainError) {
        guard start <= end else { throw .invalid("residence_permit_dates", field: "permit_end") }
        self.start = start
        self.end = end
    }

    /// Past its end on `day`.
    public func isExpired(on day: CalendarDate) -> Bool { end < day }

    /// Still valid today but ending within `days` days (today counts as day 0): the reminder's list. An expired
    /// permit is not "expiring soon"; it is `isExpired`.
    public func expiresSoon(now: Date, within days: Int) -> Bool {
        let today = CalendarDate(now)
        return !isExpired(on: today) && end <= today.adding(days: days)
    }
}
