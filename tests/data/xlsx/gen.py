#!/usr/bin/env python3
"""Write the small XLSX fixtures of this folder from hand-written XML.

Each workbook exercises one member of a fault family (tests/data/cases/
Bnn); the parts are spelled out here so that a reader can see exactly
which XML the reader must cope with.  Run from anywhere:
    python3 tests/data/xlsx/gen.py
The output is deterministic (fixed zip timestamps), so a rerun changes
nothing in git.
"""
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = ('xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
       'relationships"')
STAMP = (2026, 3, 5, 0, 0, 0)


def content_types(nsheets, sst, styles):
    o = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
         'content-types">',
         '<Default Extension="rels" ContentType="application/'
         'vnd.openxmlformats-package.relationships+xml"/>',
         '<Default Extension="xml" ContentType="application/xml"/>',
         '<Override PartName="/xl/workbook.xml" ContentType="application/'
         'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    for i in range(1, nsheets + 1):
        o.append('<Override PartName="/xl/worksheets/sheet%d.xml" '
                 'ContentType="application/vnd.openxmlformats-'
                 'officedocument.spreadsheetml.worksheet+xml"/>' % i)
    if sst:
        o.append('<Override PartName="/xl/sharedStrings.xml" ContentType='
                 '"application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sharedStrings+xml"/>')
    if styles:
        o.append('<Override PartName="/xl/styles.xml" ContentType='
                 '"application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.styles+xml"/>')
    o.append('</Types>')
    return ''.join(o)


def book(name, sheets, sst=None, styles=None, date1904=False):
    """sheets: [(name, sheetData XML, extra XML after sheetData)]."""
    parts = {}
    parts['[Content_Types].xml'] = content_types(len(sheets), sst, styles)
    parts['_rels/.rels'] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<workbook %s %s>' % (NS, RNS)]
    if date1904:
        wb.append('<workbookPr date1904="1"/>')
    wb.append('<sheets>')
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            '<Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships">']
    for i, (sname, data, extra) in enumerate(sheets, 1):
        wb.append('<sheet name="%s" sheetId="%d" r:id="rId%d"/>'
                  % (sname, i, i))
        rels.append('<Relationship Id="rId%d" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/'
                    'worksheet" Target="worksheets/sheet%d.xml"/>' % (i, i))
        parts['xl/worksheets/sheet%d.xml' % i] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet %s %s><sheetData>%s</sheetData>%s</worksheet>'
            % (NS, RNS, data, extra or ''))
    n = len(sheets)
    if sst:
        n += 1
        rels.append('<Relationship Id="rId%d" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/'
                    'sharedStrings" Target="sharedStrings.xml"/>' % n)
        parts['xl/sharedStrings.xml'] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst %s count="%d" uniqueCount="%d">%s</sst>'
            % (NS, len(sst), len(sst),
               ''.join(s if s.startswith('<si>') else
                       '<si><t xml:space="preserve">%s</t></si>' % s
                       for s in sst)))
    if styles:
        n += 1
        rels.append('<Relationship Id="rId%d" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/'
                    'styles" Target="styles.xml"/>' % n)
        parts['xl/styles.xml'] = styles
    wb.append('</sheets></workbook>')
    rels.append('</Relationships>')
    parts['xl/workbook.xml'] = ''.join(wb)
    parts['xl/_rels/workbook.xml.rels'] = ''.join(rels)
    with zipfile.ZipFile(os.path.join(HERE, name), 'w',
                         zipfile.ZIP_DEFLATED) as z:
        for pname in sorted(parts):
            info = zipfile.ZipInfo(pname, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[pname].encode('utf-8'))


def styles(numfmts, xfs):
    """numfmts: {id: code}; xfs: [numFmtId, ...] (index 0 = General)."""
    nf = ''.join('<numFmt numFmtId="%d" formatCode="%s"/>' % (i, c)
                 for i, c in sorted(numfmts.items()))
    xf = ''.join('<xf numFmtId="%d" fontId="0" fillId="0" borderId="0"%s/>'
                 % (i, ' applyNumberFormat="1"' if i else '') for i in xfs)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<styleSheet %s>%s<fonts count="1"><font/></fonts>'
            '<fills count="1"><fill/></fills><borders count="1"><border/>'
            '</borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="%d">%s</cellXfs></styleSheet>'
            % (NS, '<numFmts count="%d">%s</numFmts>' % (len(numfmts), nf)
               if numfmts else '', len(xfs), xf))


def s(ref, i):
    return '<c r="%s" t="s"><v>%d</v></c>' % (ref, i)


def n(ref, v, style=0):
    st = ' s="%d"' % style if style else ''
    return '<c r="%s"%s><v>%s</v></c>' % (ref, st, v)


def istr(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)


def row(r, *cells):
    return '<row r="%d">%s</row>' % (r, ''.join(cells))


def b05():
    # Leading zeros kept by the workbook itself: shared and inline text
    # cells, and numbers under a zero-padded custom format (000000), the
    # way Excel users keep postcodes and customer codes.
    sst = ['客户编号', '客户名称', '联系电话', '邮编', '合同金额',
           '000123', '示例科技有限公司', '01000000001', '示例网络有限公司',
           '示例物流有限公司']
    st = styles({164: '000000', 165: '00000000000'}, [0, 164, 165])
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3),
                s('E1', 4)) +
            row(2, s('A2', 5), s('B2', 6), s('C2', 7),
                istr('D2', '010010'), n('E2', 1000)) +
            row(3, n('A3', 456, 1), s('B3', 8), n('C3', 1000000002, 2),
                n('D3', 30001, 1), n('E3', 2000)) +
            row(4, n('A4', 12), s('B4', 9), n('C4', 13900000041),
                n('D4', 100000, 1), n('E4', 3000)))
    book('b05-ids-text-and-padded.xlsx', [('客户', data, None)], sst, st)


def b08():
    # 18-digit identifiers typed into a General cell: Excel keeps 15
    # significant digits and writes the exponent form.  As the key the
    # row is refused; in an optional column the value is left empty with
    # a warning.  Never 110101199001011000, a guessed ID.
    sst = ['订单号', '客户名称', '客户编号', '合同金额', 'SO-1',
           '示例科技有限公司', '示例网络有限公司', '示例物流有限公司', 'SO-3']
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3)) +
            row(2, s('A2', 4), s('B2', 5), n('C2', '1.10101199001011E+17'),
                n('D2', 1000)) +
            row(3, n('A3', '1.10101199001011E+17'), s('B3', 6),
                n('C3', 1001), n('D3', 2000)) +
            row(4, s('A4', 8), s('B4', 7), n('C4', '4.53212345678901E+15'),
                n('D4', 3000)))
    book('b08-long-ids-as-numbers.xlsx', [('订单', data, None)], sst)


def b10():
    # Serials around the phantom 1900-02-29 and date-times that round to
    # the next day, in the 1900 system; the same serials in a 1904 book.
    sst = ['客户名称', '签约日期', '示例甲公司', '示例乙公司', '示例丙公司',
           '示例丁公司', '示例戊公司', '示例己公司']
    st = styles({}, [0, 14, 22])

    def sheet():
        return (row(1, s('A1', 0), s('B1', 1)) +
                row(2, s('A2', 2), n('B2', 59, 1)) +
                row(3, s('A3', 3), n('B3', 60.5, 2)) +
                row(4, s('A4', 4), n('B4', 61.25, 2)) +
                row(5, s('A5', 5), n('B5', 46086.999999, 2)) +
                row(6, s('A6', 6), n('B6', 0, 1)) +
                row(7, s('A7', 7), n('B7', 46086.5, 1)))
    book('b10-serials-1900.xlsx', [('合同', sheet(), None)], sst, st)
    book('b10-serials-1904.xlsx', [('合同', sheet(), None)], sst, st,
         date1904=True)


def b14():
    # Inline strings: a rich run with a phonetic guide, an amount and a
    # phone written as inline text, xml:space on the customer.
    data = (row(1, istr('A1', '客户名称'), istr('B1', '联系电话'),
                istr('C1', '合同金额')) +
            row(2, '<c r="A2" t="inlineStr"><is><r><t>示例</t></r><r><rPr>'
                '<b/></rPr><t>科技有限公司</t></r><rPh sb="0" eb="2"><t>'
                'シレイ</t></rPh></is></c>', istr('B2', '13900000091'),
                istr('C2', '1,000.50')) +
            row(3, '<c r="A3" t="inlineStr"><is><t xml:space="preserve"> '
                '示例网络有限公司 </t></is></c>',
                '<c r="B3" t="inlineStr"><is/></c>', istr('C3', '12.5万')))
    book('b14-inline-rich-phonetic.xlsx', [('Sheet1', data, None)])


def b16():
    # No r on rows and cells, and a bad amount in an r-less row: the
    # warning must name the sheet row it really is in (row 4).
    data = ('<row><c t="inlineStr"><is><t>客户名称</t></is></c>'
            '<c t="inlineStr"><is><t>合同金额</t></is></c></row>'
            '<row><c t="inlineStr"><is><t>示例科技有限公司</t></is></c>'
            '<c><v>1000</v></c></row>'
            '<row r="4"><c t="inlineStr"><is><t>示例网络有限公司</t></is></c>'
            '<c t="inlineStr"><is><t>约2万</t></is></c></row>'
            '<row><c r="B5"><v>3000</v></c>'
            '<c r="A5" t="inlineStr"><is><t>示例物流有限公司</t></is></c>'
            '</row>')
    book('b16-no-refs-warning-row.xlsx', [('Sheet1', data, None)])


def b18():
    # A shared formula over five rows; a cached #N/A in the amount
    # column; a boolean and a string-typed number as cached results.
    sst = ['产品', '单价', '数量', '金额', '标准版', '专业版', '实施服务',
           '培训', '维保']
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3)) +
            ''.join(row(r, s('A%d' % r, 4 + r - 2), n('B%d' % r, 1000 * r),
                        n('C%d' % r, 2),
                        '<c r="D%d"><f t="shared" si="0"%s>%s</f><v>%d</v>'
                        '</c>' % (r, ' ref="D2:D5"' if r == 2 else '',
                                  'B2*C2' if r == 2 else '', 2000 * r))
                    for r in range(2, 6)) +
            row(6, s('A6', 8), n('B6', 0), n('C6', 0),
                '<c r="D6" t="e"><f>VLOOKUP(A6,X:Y,2,0)</f><v>#N/A</v></c>'))
    book('b18-shared-formula-na.xlsx', [('明细', data, None)], sst)


def b20():
    # A totals row whose contract total disagrees with the rows above,
    # owners merged down over three rows, a group label over the amount.
    sst = ['负责人', '客户名称', '金额', '合同金额', '回款金额', '张三',
           '示例科技有限公司', '示例网络有限公司', '示例物流有限公司', '合计']
    merges = ('<mergeCells count="4"><mergeCell ref="A1:A2"/>'
              '<mergeCell ref="B1:B2"/><mergeCell ref="C1:D1"/>'
              '<mergeCell ref="A3:A5"/></mergeCells>')
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2)) +
            row(2, s('C2', 3), s('D2', 4)) +
            row(3, s('A3', 5), s('B3', 6), n('C3', 100000), n('D3', 50000)) +
            row(4, s('B4', 7), n('C4', 200000), n('D4', 0)) +
            row(5, s('B5', 8), n('C5', 300000), n('D5', 300000)) +
            row(6, s('A6', 9), '<c r="C6"><f>SUM(C3:C5)</f><v>610000</v>'
                '</c>', '<c r="D6"><f>SUM(D3:D5)</f><v>350000</v></c>'))
    book('b20-totals-mismatch.xlsx', [('4月', data, merges)], sst)


def payments():
    # A 回款计划 export (planned amount and date, and what was collected
    # so far, which must not turn the plan into a collection) and a 回款
    # export, dates as serials under the built-in date format 14.
    st = styles({}, [0, 14])
    sst = ['合同编号', '客户名称', '销售', '计划回款金额', '计划回款日期',
           '已回款金额', 'HT-101', '华东机电有限公司', '张伟', 'HT-102',
           '上海精工有限公司', '王芳', '回款金额', '回款日期']
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3),
                s('E1', 4), s('F1', 5)) +
            row(2, s('A2', 6), s('B2', 7), s('C2', 8), n('D2', 300000),
                n('E2', 46096, 1), n('F2', 0)) +
            row(3, s('A3', 9), s('B3', 10), s('C3', 11), n('D3', 125000.5),
                n('E3', 46111, 1), n('F3', 25000)))
    book('payments-plan.xlsx', [('回款计划', data, None)], sst, st)
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 12),
                s('E1', 13)) +
            row(2, s('A2', 6), s('B2', 7), s('C2', 8), n('D2', 280000),
                n('E2', 46100, 1)))
    book('payments-actual.xlsx', [('回款', data, None)], sst, st)


def t140():
    # Sales targets as a workbook: a quarter in words, a month typed as
    # 2026-03 that Excel turned into the date 2026-03-01 (serial 46082
    # under the format yyyy-mm), a year as a number, amounts in 万元 as
    # numbers.
    sst = ['区域', '门店', '销售', '期间', '目标金额(万元)', '华东', '华南',
           '徐汇店', '王芳']
    st = styles({164: 'yyyy-mm'}, [0, 164])
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3),
                s('E1', 4)) +
            row(2, s('A2', 5), istr('D2', '2026年第一季度'), n('E2', 300)) +
            row(3, s('A3', 5), s('B3', 7), n('D3', 46082, 1), n('E3', 80)) +
            row(4, s('A4', 5), s('C4', 8), istr('D4', '2026Q1'),
                n('E4', 50.5)) +
            row(5, s('A5', 6), n('D5', 2026), n('E5', 1200.25)))
    book('t140-targets.xlsx', [('目标', data, None)], sst, st)


def t154():
    # Amounts whose format shows the currency: US dollars ([$$-409]),
    # euros ([$€-407]), yuan ("￥", which names CNY), a plain number
    # (CNY), a dollar of a locale the reader does not list ([$$-416],
    # kept as XXX so that no report takes it for yuan), and a number
    # under the yuan format in a column whose header says USD (the
    # header wins over the format).
    sst = ['商机编号', '客户名称', '负责人', '销售阶段', '金额', 'X1', 'X2',
           'X3', 'X4', 'X5', '示例甲公司', '王芳', '赢单']
    st = styles({164: '[$$-409]#,##0.00', 165: '[$&#8364;-407]#,##0.00',
                 166: '&quot;&#65509;&quot;#,##0.00',
                 167: '[$$-416]#,##0.00'}, [0, 164, 165, 166, 167])
    head = row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3), s('E1', 4))
    body = ''.join(
        row(r, s('A%d' % r, 5 + i), s('B%d' % r, 10), s('C%d' % r, 11),
            s('D%d' % r, 12), n('E%d' % r, 1200, style))
        for i, (r, style) in enumerate([(2, 1), (3, 2), (4, 3), (5, 0),
                                        (6, 4)]))
    book('t154-currency-formats.xlsx', [('商机', head + body, None)], sst, st)
    sst2 = ['商机编号', '客户名称', '负责人', '销售阶段', '金额(USD)', 'Y1',
            '示例乙公司', '王芳', '赢单']
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3),
                s('E1', 4)) +
            row(2, s('A2', 5), s('B2', 6), s('C2', 7), s('D2', 8),
                n('E2', 1500, 1)))
    book('t154-header-usd.xlsx', [('商机', data, None)], sst2,
         styles({164: '&quot;&#65509;&quot;#,##0.00'}, [0, 164]))


def t157():
    # A dollar format under a 币种 column that says 人民币 (Z1): the
    # column wins, the format is only how the number looks; two amounts
    # formatted in dollars and euros with nothing else to say (Z2, a
    # deal's amount and its discounted amount) cannot both be right.
    sst = ['商机编号', '客户名称', '负责人', '销售阶段', '金额', '币种', 'Z1',
           '示例丙公司', '王芳', '赢单', '人民币']
    st = styles({164: '[$$-409]#,##0.00', 165: '[$&#8364;-407]#,##0.00'},
                [0, 164, 165])
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3),
                s('E1', 4), s('F1', 5)) +
            row(2, s('A2', 6), s('B2', 7), s('C2', 8), s('D2', 9),
                n('E2', 800, 1), s('F2', 10)))
    book('t157-format-vs-column.xlsx', [('商机', data, None)], sst, st)
    sst = ['商机编号', '客户名称', '合同金额', '折后金额', 'Z2', '示例丁公司']
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3)) +
            row(2, s('A2', 4), s('B2', 5), n('C2', 100, 1), n('D2', 90, 2)))
    book('t157-two-formats.xlsx', [('商机', data, None)], sst, st)



def t158():
    # A rejected row whose amount shows as $1,500.00 only through its
    # format: the rejects file must keep the dollars in words.
    sst = ['商机编号', '客户名称', '负责人', '销售阶段', '金额', 'J1', 'J2',
           '示例甲公司', '王芳', '赢单', '赢了吗']
    st = styles({164: '[$$-409]#,##0.00'}, [0, 164])
    data = (row(1, s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3),
                s('E1', 4)) +
            row(2, s('A2', 5), s('B2', 7), s('C2', 8), s('D2', 9),
                n('E2', 1200, 1)) +
            row(3, s('A3', 6), s('B3', 7), s('C3', 8), s('D3', 10),
                n('E3', 1500, 1)))
    book('t158-rejects-currency.xlsx', [('商机', data, None)], sst, st)


if __name__ == '__main__':
    b05()
    b08()
    b10()
    b14()
    b16()
    b18()
    b20()
    payments()
    t140()
    t154()
    t157()
    t158()
