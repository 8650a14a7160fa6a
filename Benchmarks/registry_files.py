#!/usr/bin/env python3
"""Writes made-up registry import files for the buildings of a Gongzhi database (issue 12's benchmark).

Usage: registry_files.py DB.sqlite PEOPLE OUT_DIR

Reads the open buildings (with their community's name) from the database, then writes OUT_DIR/houses.csv (four units
of ten floors with two rooms each per building) and OUT_DIR/people.csv with PEOPLE people spread over the buildings
in households of one to four (the head first), each with a valid resident ID number (GB 11643 check character) whose
birth date and sex agree with the row, a mobile phone, and now and then a tag. Everything is invented; the same
arguments always give the same files.
"""
import csv
import random
import sqlite3
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华志强海燕春梅晓东文博子涵雨轩浩然思远欣怡佳怡梓涵一诺宇航俊杰"
TAGS = ["", "", "", "", "", "", "党员", "志愿者", "独居老人", "残疾人", "低保户", "退役军人"]


def id_number(area: str, born: str, sequence: int, male: bool) -> str:
    """The sequence (0–499) of one sex on one birth date: three digits whose last one's parity is the sex."""
    last = (sequence % 5) * 2 + (1 if male else 0)
    body = f"{area}{born}{sequence // 5:02d}{last}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def main() -> None:
    db, total, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(12)
    con = sqlite3.connect(db)
    buildings = con.execute(
        "SELECT c.name, b.name FROM nodes b JOIN nodes c ON c.id = b.community_id "
        "WHERE b.kind = 'building' AND b.closed_at IS NULL ORDER BY b.id"
    ).fetchall()
    rooms = [(f"{u}单元", f, f"{f}0{r}") for u in range(1, 5) for f in range(1, 11) for r in range(1, 3)]
    with open(f"{out}/houses.csv", "w", newline="", encoding="utf-8") as h:
        w = csv.writer(h)
        w.writerow(["社区", "楼栋", "单元", "楼层", "房号", "使用情况", "面积"])
        for community, building in buildings:
            for unit, floor, room in rooms:
                w.writerow([community, building, unit, floor, room, "自住", f"{rng.randint(450, 1400) / 10:.1f}"])
    per_building = -(-total // len(buildings))
    written = 0
    # Each birth date and sex has 500 sequence numbers; a date whose numbers are used up is moved a day on.
    used: dict[tuple[str, bool], int] = {}
    with open(f"{out}/people.csv", "w", newline="", encoding="utf-8") as p:
        w = csv.writer(p)
        w.writerow(["姓名", "证件类型", "证件号码", "性别", "出生日期", "民族", "联系电话", "社区", "楼栋", "单元", "房号", "户号",
                    "与户主关系", "居住状态", "标签"])
        household = 0
        for bi, (community, building) in enumerate(buildings):
            placed = 0
            while placed < per_building and written < total:
                unit, _, room = rooms[rng.randrange(len(rooms))]
                household += 1
                size = min(rng.choice([1, 2, 2, 3, 3, 3, 4]), per_building - placed, total - written)
                surname = SURNAMES[rng.randrange(len(SURNAMES))]
                head_year = rng.randint(1950, 1995)
                for member in range(size):
                    relation = ["户主", "配偶", "子女", "子女"][member]
                    year = head_year if member < 2 else rng.randint(max(head_year + 20, 1975), 2020)
                    month, day = rng.randint(1, 12), rng.randint(1, 28)
                    male = (member == 0) == (rng.random() < 0.6) if member < 2 else rng.random() < 0.5
                    if member == 1:
                        male = not first_male
                    if member == 0:
                        first_male = male
                    while used.get((born := f"{year}{month:02d}{day:02d}", male), 0) >= 500:
                        day = day % 28 + 1
                    sequence = used.get((born, male), 0)
                    used[(born, male)] = sequence + 1
                    number = id_number("440305", born, sequence, male)
                    born_text = f"{born[:4]}-{born[4:6]}-{born[6:]}"
                    name = (surname if member != 1 else SURNAMES[rng.randrange(len(SURNAMES))]) + "".join(
                        rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
                    phone = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}" if year < 2008 else ""
                    w.writerow([name, "居民身份证", number, "男" if male else "女", born_text, "汉族", phone, community, building,
                                unit, room, f"H{household:08d}", relation, "户籍人口", rng.choice(TAGS)])
                placed += size
                written += size
            if written >= total:
                break
    print(f"{len(buildings)} buildings, {len(buildings) * len(rooms)} houses, {written} people")


if __name__ == "__main__":
    main()
