import Foundation

/// The columns of the registry's import files, with the headers people write in Chinese or English: each header
/// names the field of the form (`PersonForm`, `HouseForm`) it fills, so a problem in a cell names the same field
/// the page would. `community` is no field of its own: with a building's name it finds the building.
public enum RegistryColumns {
    /// 姓名 name, 证件类型 id_type, 证件号码 id_number, 性别 sex, 出生日期 birth_date, 民族 ethnicity, 联系电话 phone,
    /// 社区 community, 楼栋 building, 单元 unit, 房号 room, 户号 household, 与户主关系 relation, 居住状态
    /// residence_status, 标签 tags, and the optional 居住证起始日期 permit_start, 居住证截止日期 permit_end,
    /// 迁入日期 moved_in_on.
    public static let people: [(field: String, headers: [String])] = [
        ("name", ["姓名"]), ("id_type", ["证件类型"]), ("id_number", ["证件号码", "身份证号码", "身份证号"]),
        ("sex", ["性别"]), ("birth_date", ["出生日期"]), ("ethnicity", ["民族"]),
        ("phone", ["联系电话", "电话", "手机号码", "手机"]), ("community", ["社区"]), ("building", ["楼栋"]),
        ("unit", ["单元"]), ("room", ["房号", "房间号"]), ("household", ["户号"]), ("relation", ["与户主关系"]),
        ("residence_status", ["居住状态", "人口类型"]), ("tags", ["标签"]), ("permit_start", ["居住证起始日期"]),
        ("permit_end", ["居住证截止日期", "居住证有效期至"]), ("moved_in_on", ["迁入日期"]),
    ]
    public static let peopleRequired: Set<String> = ["name", "id_number", "building"]

    /// 社区 community, 楼栋 building, 单元 unit, 楼层 floor, 房号 room, 使用情况 use, 面积 area.
    public static let houses: [(field: String, headers: [String])] = [
        ("community", ["社区"]), ("building", ["楼栋"]), ("unit", ["单元"]), ("floor", ["楼层"]),
        ("room", ["房号", "房间号"]), ("use", ["使用情况", "房屋用途"]), ("area", ["面积", "建筑面积"]),
    ]
    public static let housesRequired: Set<String> = ["building", "room"]

    /// 社区 community, 网格 grid (optional: without it the organisation sits in its community), 类型 kind, 名称 name,
    /// 统一社会信用代码 credit_code, 登记情况 registration, 备案编号 registration_number, 地址 address, and up to three
    /// contacts 联系人1 contact_name_1, 联系电话1 contact_phone_1 … 联系人3, 联系电话3.
    public static let organisations: [(field: String, headers: [String])] = [
        ("community", ["社区"]), ("grid", ["网格"]), ("kind", ["类型", "组织类型"]), ("name", ["名称", "组织名称", "单位名称"]),
        ("credit_code", ["统一社会信用代码", "信用代码"]), ("registration", ["登记情况", "登记方式"]),
        ("registration_number", ["备案编号", "登记证号"]), ("address", ["地址"]),
        ("contact_name_1", ["联系人1", "联系人"]), ("contact_phone_1", ["联系电话1", "联系电话"]),
        ("contact_name_2", ["联系人2"]), ("contact_phone_2", ["联系电话2"]),
        ("contact_name_3", ["联系人3"]), ("contact_phone_3", ["联系电话3"]),
    ]
    public static let organisationsRequired: Set<String> = ["community", "kind", "name"]

    /// 社区 community, 网格 grid (optional: the grid whose boundary holds the point is taken anyway), 部件编码 code,
    /// 部件类别 class_code (the small class's code or name), 纬度 lat, 经度 lng, 状态 state, 备注 note.
    public static let facilities: [(field: String, headers: [String])] = [
        ("community", ["社区"]), ("grid", ["网格"]), ("code", ["部件编码", "编码"]),
        ("class_code", ["部件类别", "部件小类", "小类"]), ("lat", ["纬度"]), ("lng", ["经度"]), ("state", ["状态"]),
        ("note", ["备注", "位置描述"]),
    ]
    public static let facilitiesRequired: Set<String> = ["community", "code", "class_code", "lat", "lng"]

    /// Each column's field, in the file's order; an unknown header throws `column_unknown` naming it, a missing
    /// required one `column_missing`, a repeated one `column_repeated`.
    public static func fields(
        of header: [String], in columns: [(field: String, headers: [String])], required: Set<String>
    ) throws(DomainError) -> [String] {
        var lookup: [String: String] = [:]
        for (field, headers) in columns {
            for header in headers + [field] { lookup[RegistryValues.key(header)] = field }
        }
        var out: [String] = []
        for raw in header {
            let cleaned = raw.replacingOccurrences(of: "\u{FEFF}", with: "")
            guard let field = lookup[RegistryValues.key(cleaned)] else {
                throw .invalid("column_unknown", field: "file", args: [cleaned])
            }
            guard !out.contains(field) else { throw .invalid("column_repeated", field: "file", args: [cleaned]) }
            out.append(field)
        }
        if let missing = required.sorted().first(where: { !out.contains($0) }) {
            let header = columns.first { $0.field == missing }?.headers.first ?? missing
            throw .invalid("column_missing", field: "file", args: ["\(header) \(missing)"])
        }
        return out
    }
}
