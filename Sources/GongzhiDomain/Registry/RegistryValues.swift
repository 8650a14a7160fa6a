import Foundation

/// Values as people write them in the people file and on forms, in Chinese or English: an empty cell is nil, an
/// unknown value throws its own key on the column's field, naming the value in `args`. Matching folds full-width
/// forms, trims and ignores case (and, for English, spaces, dashes and underscores).
public enum RegistryValues {
    /// 居民身份证 / 身份证 / resident_id …
    public static func documentKind(from raw: String) throws(DomainError) -> DocumentKind? {
        try lookup(raw, documentKinds, key: "document_kind_unknown", field: "id_type")
    }

    /// 男/女, male/female, M/F, and GB/T 2261.1's codes 1/2.
    public static func sex(from raw: String) throws(DomainError) -> Sex? {
        try lookup(raw, sexes, key: "sex_unknown", field: "sex")
    }

    /// 户主/配偶/子女… with the words people use for each (本人, 妻子, 长子, 外孙女 …), or English.
    public static func relation(from raw: String) throws(DomainError) -> HouseholdRelation? {
        try lookup(raw, relations, key: "relation_unknown", field: "relation")
    }

    /// 户籍人口/人户分离/流动人口/境外人员, or English.
    public static func residenceStatus(from raw: String) throws(DomainError) -> ResidenceStatus? {
        try lookup(raw, statuses, key: "residence_status_unknown", field: "residence_status")
    }

    /// 汉族 or 汉, the two-digit code (`01`, `1`), or the English name.
    public static func ethnicity(from raw: String) throws(DomainError) -> Ethnicity? {
        try lookup(raw, ethnicities, key: "ethnicity_unknown", field: "ethnicity")
    }

    /// Tags separated by `;`, `；`, `,`, `，`, `、` or `|`; repeats are dropped, the result is sorted. An unknown tag
    /// throws `tag_unknown` naming it.
    public static func tags(from raw: String) throws(DomainError) -> [PersonTag] {
        var found: Set<PersonTag> = []
        for part in HalfWidth.fold(raw).split(whereSeparator: { ";,、|".contains($0) }) {
            if let tag = try lookup(String(part), tags, key: "tag_unknown", field: "tags") { found.insert(tag) }
        }
        return found.sorted()
    }

    /// A date as written (`1949-12-31`, `1949/12/31`, `19491231`, `1949年12月31日`); empty is nil, anything else
    /// `date_invalid` on `field`.
    public static func date(from raw: String, field: String) throws(DomainError) -> CalendarDate? {
        guard !key(raw).isEmpty else { return nil }
        guard let date = CalendarDate(raw) else { throw .invalid("date_invalid", field: field, args: [raw]) }
        return date
    }

    // MARK: - Tables

    static func lookup<T>(
        _ raw: String, _ table: [String: T], key errorKey: String, field: String
    ) throws(DomainError) -> T? {
        let folded = key(raw)
        guard !folded.isEmpty else { return nil }
        if let value = table[folded] { return value }
        throw .invalid(errorKey, field: field, args: [raw.trimmingCharacters(in: .whitespacesAndNewlines)])
    }

    /// The form values are matched in: half-width, trimmed, lower case, without spaces, dashes or underscores.
    static func key(_ raw: String) -> String {
        HalfWidth.fold(raw).lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" }
    }

    static func table<T>(_ entries: [(T, [String])]) -> [String: T] {
        var out: [String: T] = [:]
        for (value, words) in entries { for word in words { out[key(word)] = value } }
        return out
    }

    static let documentKinds = table([
        (
            DocumentKind.residentID,
            ["居民身份证", "身份证", "二代身份证", "身份证号", "residentID", "resident id card", "id card", "id", "1"]
        ),
        (.passport, ["护照", "passport", "普通护照"]),
        (
            .hongKongMacaoPermit,
            [
                "港澳居民来往内地通行证", "回乡证", "港澳通行证", "港澳居民通行证", "hongKongMacaoPermit",
                "hong kong macao permit", "home return permit",
            ]
        ),
        (
            .taiwanPermit,
            ["台湾居民来往大陆通行证", "台胞证", "台湾通行证", "taiwanPermit", "taiwan permit", "mtp"]
        ),
        (
            .foreignPermanentResidence,
            [
                "外国人永久居留身份证", "外国人永久居留证", "永居证", "foreignPermanentResidence",
                "foreign permanent residence", "permanent residence id card", "green card",
            ]
        ),
    ])

    static let sexes = table([
        (Sex.male, ["男", "男性", "male", "m", "man", "1"]),
        (.female, ["女", "女性", "female", "f", "woman", "2"]),
    ])

    static let relations = table([
        (HouseholdRelation.head, ["户主", "本人", "head", "self"]),
        (.spouse, ["配偶", "妻", "妻子", "夫", "丈夫", "spouse", "wife", "husband"]),
        (
            .child,
            [
                "子女", "子", "女", "儿子", "女儿", "长子", "次子", "三子", "长女", "次女", "三女", "独生子", "独生女", "养子",
                "养女", "继子", "继女", "child", "son", "daughter",
            ]
        ),
        (.parent, ["父母", "父亲", "母亲", "父", "母", "继父", "继母", "养父", "养母", "parent", "father", "mother"]),
        (
            .grandparent,
            [
                "祖父母", "祖父", "祖母", "外祖父母", "外祖父", "外祖母", "爷爷", "奶奶", "外公", "外婆", "grandparent",
                "grandfather", "grandmother",
            ]
        ),
        (
            .grandchild,
            [
                "孙子女", "孙子", "孙女", "外孙子女", "外孙子", "外孙", "外孙女", "grandchild", "grandson",
                "granddaughter",
            ]
        ),
        (
            .sibling,
            ["兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "sibling", "brother", "sister"]
        ),
        (.other, ["其他", "其它", "儿媳", "女婿", "孙媳", "侄子", "侄女", "保姆", "other", "relative", "lodger"]),
    ])

    static let statuses = table([
        (ResidenceStatus.registered, ["户籍人口", "户籍", "常住户籍", "registered"]),
        (.livingElsewhere, ["人户分离", "户在人不在", "livingElsewhere", "living elsewhere", "registered elsewhere"]),
        (.floating, ["流动人口", "流动", "外来人口", "floating", "migrant"]),
        (.foreign, ["境外人员", "境外", "外籍人员", "外国人", "foreign", "foreigner"]),
    ])

    static let ethnicities: [String: Ethnicity] = {
        var out = table(Ethnicity.allCases.map { e in (e, [e.rawValue, String(Int(e.rawValue)!), e.chineseName]) })
        for e in Ethnicity.allCases where e != .other { out[key(Ethnicity.names[Int(e.rawValue)! - 1])] = e }
        out[key("\(Ethnicity.other)")] = .other
        for e in Ethnicity.allCases { out[key("\(e)")] = e }
        for (word, e) in [("mongolian", Ethnicity.mongol), ("uygur", .uyghur), ("buyei", .bouyei), ("kirgiz", .kyrgyz)]
        {
            out[word] = e
        }
        return out
    }()

    static let tags = table(
        PersonTag.allCases.map { tag in (tag, [tag.chineseName, tag.rawValue]) } + [
            (PersonTag.elderlyLivingAlone, ["独居", "孤寡老人"]),
            (.lowIncome, ["低保户", "最低生活保障", "低保对象"]),
            (.disabled, ["残疾", "残疾人员"]),
            (.veteran, ["退役军人", "退伍军人", "复员军人"]),
            (.partyMember, ["中共党员", "共产党员"]),
            (.communityCorrection, ["社区矫正对象", "社区矫正人员"]),
            (.releasedPrisoner, ["刑满释放人员", "安置帮教"]),
            (.drugRehabilitation, ["戒毒康复人员", "社区戒毒", "社区康复"]),
            (.severeMentalDisorder, ["严重精神障碍患者"]),
            (.extremeHardship, ["特困供养", "五保户"]),
        ])
}
