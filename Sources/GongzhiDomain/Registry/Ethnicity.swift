import Foundation

/// The 56 ethnic groups with their two-digit codes of GB/T 3304 (raw values, stored as they are and naming the
/// locale keys `ethnicity_<code>`), and the Chinese names people write. A foreign national has no ethnicity
/// (nil); `other` is for one not listed.
public enum Ethnicity: String, CaseIterable, Codable, Sendable {
    case han = "01", mongol = "02", hui = "03", tibetan = "04", uyghur = "05", miao = "06", yi = "07"
    case zhuang = "08", bouyei = "09", korean = "10", manchu = "11", dong = "12", yao = "13", bai = "14"
    case tujia = "15", hani = "16", kazakh = "17", dai = "18", li = "19", lisu = "20", va = "21", she = "22"
    case gaoshan = "23", lahu = "24", sui = "25", dongxiang = "26", naxi = "27", jingpo = "28", kyrgyz = "29"
    case tu = "30", daur = "31", mulao = "32", qiang = "33", blang = "34", salar = "35", maonan = "36"
    case gelao = "37", xibe = "38", achang = "39", pumi = "40", tajik = "41", nu = "42", uzbek = "43"
    case russian = "44", evenki = "45", deang = "46", bonan = "47", yugur = "48", gin = "49", tatar = "50"
    case derung = "51", oroqen = "52", hezhen = "53", monba = "54", lhoba = "55", jino = "56"
    /// Not one of the 56 (an unrecognised group, or of foreign origin with Chinese nationality). Population
    /// databases commonly code these 97 and 98; the standard's text was not at hand to confirm it, so one code
    /// outside 01–56 is kept for both.
    case other = "97"

    /// The name as written on an identity card, without 族 for `other` (其他).
    public var chineseName: String {
        switch self {
        case .other: "其他"
        default: Self.names[Int(rawValue)! - 1] + "族"
        }
    }

    /// The names in code order, 01 汉 … 56 基诺.
    static let names = [
        "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克",
        "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌",
        "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
        "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
    ]
}
