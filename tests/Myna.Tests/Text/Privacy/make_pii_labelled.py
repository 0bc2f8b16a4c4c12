#!/usr/bin/env python3
"""Writes pii_labelled.jsonl: realistic English and Chinese snippets, each labelled with the PII it contains.

Written for Myna's redaction tests (no outside data). Every identity and card number is synthetic: the generator computes
valid checksums for the positives and deliberately broken ones for some negatives. Run: python3 make_pii_labelled.py
Each line: {"text": ..., "pii": [{"type": "EMAIL", "value": "..."}], "lang": "en"|"zh"}.
"""
import json, random

rng = random.Random(20261128)
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

def cn_id(valid=True):
    region = rng.choice(["110101", "310104", "440305", "510107", "330106", "420102", "320582", "610113"])
    birth = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = region + birth + f"{rng.randint(0, 999):03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    return body + check

def luhn_ok(digits):
    s, dbl = 0, False
    for ch in reversed(digits):
        d = int(ch)
        if dbl:
            d *= 2
            if d > 9: d -= 9
        s += d; dbl = not dbl
    return s % 10 == 0

def card(prefix, length=16, valid=True, sep=""):
    if prefix == "5":  # Mastercard's 5-series is 51-55
        prefix = "5" + rng.choice("12345")
    while True:
        body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
        for last in "0123456789":
            if luhn_ok(body + last) == valid:
                digits = body + last
                break
        if sep:
            return sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))
        return digits

def cn_mobile(sep=""):
    d = rng.choice(["138", "139", "186", "152", "177", "199", "135", "158", "130", "166"]) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return d if not sep else d[:3] + sep + d[3:7] + sep + d[7:]

first = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "li.wei", "zhang.san", "wang_fang", "chen.jing", "liu.yang"]
domains = ["example.com", "mail.example.org", "corp.example.net", "qq.com", "163.com", "gmail.com", "outlook.com", "126.com", "sina.cn", "uni-example.edu"]
def email():
    return rng.choice(first) + rng.choice(["", str(rng.randint(1, 99)), ".work", "+news"]) + "@" + rng.choice(domains)

def ipv4():
    return rng.choice([f"192.168.{rng.randint(0,255)}.{rng.randint(1,254)}", f"10.{rng.randint(0,255)}.{rng.randint(0,255)}.{rng.randint(1,254)}",
                       f"{rng.randint(11,223)}.{rng.randint(0,255)}.{rng.randint(0,255)}.{rng.randint(1,254)}", f"172.{rng.randint(16,31)}.{rng.randint(0,255)}.{rng.randint(1,254)}"])

def ipv6():
    return rng.choice(["2001:db8::1", "fe80::1ff:fe23:4567:890a", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2400:cb00:2048:1::c629:d7a2",
                       f"2001:db8:{rng.randint(1,0xffff):x}::{rng.randint(1,0xffff):x}", "::ffff:192.0.2.128", f"fd00:{rng.randint(1,0xfff):x}::{rng.randint(10,99)}"])

def secret_url():
    tok = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(rng.randint(16, 40)))
    return rng.choice([
        f"https://api.example.com/v1/items?access_token={tok}",
        f"https://admin:{tok[:10]}@db.example.net:5432/prod",
        f"postgres://app_user:{tok[:12]}@10.0.3.7:5432/orders",
        f"https://hooks.example.com/services/T000/B000?token={tok}",
        f"https://storage.example.com/bucket/report.pdf?X-Amz-Credential=AKIA{tok[:16].upper()}&X-Amz-Signature={tok}",
        f"ftp://backup:{tok[:8]}@files.example.org/dump.tar.gz",
        f"https://maps.example.com/api/js?key=AIza{tok}&callback=init",
        f"mongodb+srv://svc:{tok[:14]}@cluster0.example.mongodb.net/test",
        f"https://example.com/reset?user=42&password={tok[:12]}",
        f"https://git.example.com/repo.git?private_token={tok}",
    ])

def intl_phone():
    return rng.choice([f"+1 (415) 555-{rng.randint(1000,9999)}", f"+44 20 7946 {rng.randint(1000,9999)}", f"+86 {cn_mobile(' ')}",
                       f"+49 30 901820{rng.randint(10,99)}", f"+33 1 42 68 {rng.randint(10,99)} {rng.randint(10,99)}", f"+81 3-1234-{rng.randint(1000,9999)}",
                       f"+61 2 9374 {rng.randint(1000,9999)}", f"+852 2345 {rng.randint(1000,9999)}"])

def us_phone():
    a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(1000, 9999)
    return rng.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}"])

def cn_landline():
    return rng.choice(["010", "021", "0755", "0571", "028"]) + "-" + "".join(str(rng.randint(1, 9)) for _ in range(8))

rows = []
def add(lang, text, *pii):
    rows.append({"text": text, "pii": [{"type": t, "value": v} for t, v in pii], "lang": lang})

# ── English positives ───────────────────────────────────────────────────────────────────────────────────────
en_email = ["Please send the signed form to {v} before Friday.", "Contact: {v}", "Reach me at <{v}> if the build breaks again.",
            "Forwarded message from {v}: the meeting moved to 3pm.", "Questions? Email {v}.", "cc {v}, who owns the billing service"]
for t in en_email:
    for _ in range(2):
        v = email(); add("en", t.format(v=v), ("EMAIL", v))
en_phone = ["Call me on {v} after 6pm.", "Support line: {v} (Mon-Fri).", "My cell is {v}, text first please.", "Tel {v} / fax not available",
            "You can reach the front desk at {v}."]
for t in en_phone:
    for f in (intl_phone, us_phone, intl_phone):
        v = f(); add("en", t.format(v=v), ("PHONE", v))
for t in ["Card number {v}, expiry 04/27, please charge the deposit.", "The customer paid with {v}.", "Refund issued to card {v} on March 3.",
          "Visa {v} was declined twice.", "Use test card {v} in the sandbox."]:
    for pre, sep in (("4", " "), ("5", ""), ("4", "-")):
        v = card(pre, 16, True, sep); add("en", t.format(v=v), ("CARD", v))
v = "378282246310005"; add("en", f"Amex {v} on file.", ("CARD", v))
v = card("62", 19); add("en", f"UnionPay card {v} linked to the account.", ("CARD", v))
for t in ["Failed login from {v} at 02:13 UTC.", "The server listens on {v}:8080.", "Blocked IP {v} after 50 attempts.",
          "ssh deploy@{v} -p 2222", "Client address was {v}; user agent Firefox."]:
    v = ipv4(); add("en", t.format(v=v), ("IP", v))
    v = ipv6(); add("en", t.format(v=v).replace(":8080", " port 8080"), ("IP", v))
for t in ["The webhook is {v}", "Clone with {v} and run make.", "Here is the link: {v}. It expires tomorrow.", "DATABASE_URL={v}",
          "Download the report from {v}"]:
    for _ in range(2):
        v = secret_url(); add("en", t.format(v=v), ("URL_CREDENTIALS", v))
v1, v2 = email(), us_phone(); add("en", f"Name: Jane Roe, email {v1}, phone {v2}, prefers email.", ("EMAIL", v1), ("PHONE", v2))
v1, v2 = ipv4(), email(); add("en", f"Login from {v1} by {v2} flagged as suspicious.", ("IP", v1), ("EMAIL", v2))
v1 = card("4", 16, True, " "); v2 = intl_phone(); add("en", f"Order #58213: card {v1}, contact {v2}, total $249.99.", ("CARD", v1), ("PHONE", v2))

# ── Chinese positives ───────────────────────────────────────────────────────────────────────────────────────
zh_email = ["请把简历发送到{v}，谢谢。", "联系邮箱：{v}", "如有问题请发邮件至 {v} 咨询。", "我的邮箱是{v}，欢迎交流。"]
for t in zh_email:
    for _ in range(2):
        v = email(); add("zh", t.format(v=v), ("EMAIL", v))
zh_phone = ["我的手机号是{v}，有事打给我。", "联系电话：{v}", "请拨打{v}预约，工作日9点到18点。", "快递员电话 {v} 已经打过两次了。", "客服热线{v}。"]
for t in zh_phone:
    for f in (lambda: cn_mobile(), lambda: cn_mobile(" "), lambda: "+86 " + cn_mobile(), cn_landline):
        v = f(); add("zh", t.format(v=v), ("PHONE", v))
for t in ["身份证号：{v}", "请核对身份证号码{v}是否正确。", "乘车人张三，证件号{v}，座位12F。", "申请人身份证 {v} 已通过实名认证。"]:
    for _ in range(3):
        v = cn_id(); add("zh", t.format(v=v), ("CN_ID", v))
for t in ["银行卡号：{v}", "请将款项转入{v}（工商银行）。", "您尾号的信用卡 {v} 本月账单已出。"]:
    for pre, sep, n in (("62", "", 19), ("6222", " ", 16), ("4", "", 16)):
        v = card(pre, n, True, sep); add("zh", t.format(v=v), ("CARD", v))
for t in ["登录 IP：{v}，地点：上海。", "服务器地址是{v}，请勿外传。", "异常访问来自 {v} 。"]:
    v = ipv4(); add("zh", t.format(v=v), ("IP", v))
    v = ipv6(); add("zh", t.format(v=v), ("IP", v))
for t in ["接口地址：{v}", "把这个链接发给你：{v} 别外传。", "配置文件里写的是 {v}"]:
    v = secret_url(); add("zh", t.format(v=v), ("URL_CREDENTIALS", v))
v1, v2 = cn_mobile(), cn_id(); add("zh", f"姓名：李雷，手机{v1}，身份证{v2}。", ("PHONE", v1), ("CN_ID", v2))
v1, v2 = email(), cn_mobile(); add("zh", f"请联系王老师（{v1}，{v2}）。", ("EMAIL", v1), ("PHONE", v2))

# ── English negatives: numbers that are not PII ─────────────────────────────────────────────────────────────
en_neg = [
    "The meeting is on 2024-03-15 at 10:30.", "Revenue grew to $1,299,999.50 in Q3 2023.", "Population: 1,411,750,000 people as of 2023.",
    "Upgrade to version 1.2.3.4 before Monday.", "Run v10.0.0.1 of the installer.", "ISBN 978-3-16-148410-0 is on the back cover.",
    "The train leaves at 09:45:30 from platform 12.", "Order number 20240315 shipped yesterday.", "Invoice INV-2024-000123 is overdue.",
    "The coordinates are 39.9042, 116.4074.", "Score was 3:2 after extra time.", "Ratio 16:9 looks best on this screen.",
    "Call extension 4021 for the help desk.", "Our office is at 221B Baker Street, London NW1 6XE.", "ZIP code 94103, San Francisco.",
    "Use std::vector and std::map in C++.", "The hash is e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.",
    "Commit a1b2c3d fixed the regression.", "UUID 123e4567-e89b-12d3-a456-426614174000 identifies the job.",
    "Temperature dropped to -12.5 degrees.", "The bill came to 1,234.56 EUR.", "Flight CA1234 departs at 13:05.",
    "Pi is roughly 3.14159265358979.", "The year 1999 was a good one; so was 2008.", "Open from 9:00-17:00 every weekday.",
    "Dimensions: 1920x1080 pixels, 60 Hz.", "Account balance: 12345678.90 USD.", "Tracking number 1Z999AA10123456784.",
    "Chapter 12, verse 3-4.", "The product code is 4006381333931.", "Build 20231201.1 passed all 4,512 tests.",
    "The IP range notation 10.0.0.0/8 is documented in RFC 1918.", "Check 192.168.1 for typos; it is incomplete.",
    "999.300.1.1 is not a valid address.", "The MAC address field was 00:1A:2B:3C:4D:5E.", "Write to the author at alice (at) example (dot) com.",
    "Follow @openai_dev for updates.", "Visit https://example.com/search?q=token+bucket&page=2 for details.",
    "Docs are at https://docs.example.org/api?key=1 today.", "See http://localhost:8080/health for the status.",
    "The password field must be at least 12 characters.", "Set the API key in the environment, never in code.",
    "Serial number SN-4417-2231-9980 is printed on the box.", "Room 1203, building 7.", "The interval is [0.5, 1.5).",
    "Sales: 4,321,098 units in 2022.", "A 16-digit number like 1234567890123456 fails the Luhn check.",
    "Ticket 5512-3401-2298-7713 was closed.", "Lat/long 51.5074° N, 0.1278° W.", "The answer is 42, not 4.2 or 0.42.",
    "Meeting ID: 845 2931 0074", "Call the function f(1, 2, 3) three times.", "Line 1024 of main.c has the bug.",
    "The price went from $19.99 to $24.99.", "Timestamp 1700000000 is in November 2023.", "Version 2.0.1.3 adds dark mode.",
    "Gauge reading 0.0012 bar.", "Reference 2023/11/28-001.", "Apartment 4B, floor 15, 100 Main St.",
    "The formula uses 2^10 = 1024.", "Invalid card 4111 1111 1111 1112 was rejected by the form.",
]
for t in en_neg: add("en", t)
# A wrong checksum is not an ID number.
for _ in range(4): add("en", f"Legacy record id {cn_id(valid=False)} imported from the old system.")

# ── Chinese negatives ───────────────────────────────────────────────────────────────────────────────────────
zh_neg = [
    "会议定于2024年3月15日上午10点召开。", "今年营收达到12,800,000元，同比增长15%。", "这款手机售价¥3999，优惠后3599元。",
    "请升级到版本 2.0.1.3 以修复漏洞。", "订单号：20240315001，请妥善保管。", "火车将于09:45从北京南站出发。",
    "全国人口约为14亿，其中城镇人口9.2亿。", "北京的坐标是39.9042, 116.4074。", "比分是3:2，主队获胜。",
    "分机号8021，找前台即可。", "第12章第3节讲的是动态规划。", "房间号1203，在7号楼。", "本次考试满分150分，平均分112.5分。",
    "邮政编码100080。", "项目预算为1,500,000.00元。", "航班CA1234于13:05起飞。", "温度降到零下12.5度。",
    "我们在2023年卖出了4,321,098台设备。", "请在设置里填写 API 密钥，不要写进代码。", "密码长度至少12位。",
    "访问 https://www.example.cn/search?q=深度学习&page=2 查看更多。", "本地服务地址 http://localhost:8080/health。",
    "圆周率约等于3.14159265358979。", "快递单号SF1234567890123。", "发票号码04403200110112345。",
    "该公司市值约13800000000元。", "工作时间9:00-18:00，周末休息。", "分辨率1920x1080，刷新率60Hz。",
    "商品条码6901234567892。", "版本号 10.2.3.4 已发布。", "请参考GB/T 7714-2015标准。", "第1024行代码有问题。",
    "会议号：845 2931 0074", "账户余额：12345678.90元。", "他1999年出生，2017年上大学。", "C++ 中可以用 std::vector 存储数据。",
    "关注微博@科技日报获取最新消息。", "年增长率达到了6.5%。", "请输入6位数字验证码。", "物流编号 YT9876543210987。",
    "这批货共计1350箱，每箱24瓶。", "地铁10号线末班车是22:45。", "报名费为人民币200元。", "答案是42。",
]
for t in zh_neg: add("zh", t)
for _ in range(3): add("zh", f"证件号{cn_id(valid=False)}校验失败，请重新输入。")
for _ in range(3): add("zh", f"卡号{card('6222', 16, False)}无效，请核对。")

with open("pii_labelled.jsonl", "w", encoding="utf-8") as f:
    for row in rows:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
pos = sum(1 for r in rows if r["pii"]); print(f"{len(rows)} snippets: {pos} with PII, {len(rows) - pos} without; {sum(len(r['pii']) for r in rows)} entities")
