#!/usr/bin/env python3
# Writes share/examples/weekly-zhang.xlsx, the demo's hand-typed weekly
# report: a merged title row, a blank row, then the header and rows, with
# real Excel dates (numFmt 14) in some rows and typed dates in others.
# Only needed to change the demo file; the build never runs it.
import sys
import zipfile

rows = [
    ("d", 46083, "上海临港重工机械有限公司", "电话", "确认报价范围，客户预算约60万", "OPP-2026-0113"),
    ("t", "2026年3月3日", "上海松江模具有限公司", "拜访", "初次拜访，需要领导审批才能立项", "OPP-2026-0114"),
    ("d", 46085, "上海临港重工机械有限公司", "拜访", "方案演示，客户签收演示纪要", "OPP-2026-0113"),
    ("t", "2026/3/6", "上海松江模具有限公司", "微信", "客户询问培训安排和质保期限", "OPP-2026-0114"),
    ("d", 46089, "上海临港重工机械有限公司", "邮件", "发送竞品对比表", "OPP-2026-0113"),
]

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

def col(i):
    return "ABCDEF"[i]

def istr(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{esc(text)}</t></is></c>'

sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
         '<dimension ref="A1:F8"/><sheetData>']
sheet.append('<row r="1">' + istr("A1", "华东区销售周报 2026年第10周（张伟）") + '</row>')
header = ["日期", "客户名称", "跟进方式", "跟进内容", "商机编号", "销售"]
sheet.append('<row r="3">' + "".join(istr(f"{col(i)}3", h) for i, h in enumerate(header)) + '</row>')
for n, (kind, date, cust, how, text, opp) in enumerate(rows, start=4):
    cells = []
    if kind == "d":
        cells.append(f'<c r="A{n}" s="1"><v>{date}</v></c>')
    else:
        cells.append(istr(f"A{n}", date))
    for i, v in enumerate([cust, how, text, opp, "张伟"], start=1):
        cells.append(istr(f"{col(i)}{n}", v))
    sheet.append(f'<row r="{n}">' + "".join(cells) + '</row>')
sheet.append('</sheetData><mergeCells count="1"><mergeCell ref="A1:F1"/></mergeCells></worksheet>')

files = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="周报" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/worksheets/sheet1.xml": "".join(sheet),
}
out = sys.argv[1] if len(sys.argv) > 1 else "share/examples/weekly-zhang.xlsx"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in files.items():
        zi = zipfile.ZipInfo(name, date_time=(2026, 3, 9, 8, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, data.encode("utf-8"))
