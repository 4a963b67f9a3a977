# A generated history whose true milestone weights are known: n deals
# (awk -v n=...), each with NDA, tech review and L/C terms present with
# chance 1/2 from the day it opens, won with chance
# (20 NDA + 50 review + 25 terms) / 100, closed two months later.
# Park-Miller's generator, exact in doubles: every awk gives the same
# history.  Writes deals.csv and activities.jsonl.
function rnd() {
	seed = (seed * 16807) % 2147483647
	return seed / 2147483647
}
BEGIN {
	seed = 20260304
	split("签署保密协议 技术评审通过 信用证条款", type, " ")
	split("20 50 25", weight, " ")
	print "商机编号,客户名称,负责人,销售阶段,预计金额(万元),创建日期," \
	    "预计成交日期,关闭日期" > "deals.csv"
	for (i = 1; i <= n; i++) {
		m = 1 + (i % 10)
		d = 1 + (i % 28)
		on = sprintf("2025-%02d-%02d", m, d)
		shut = sprintf("2025-%02d-%02d", m + 2, d)
		p = 0
		for (j = 1; j <= 3; j++)
			if (rnd() < 0.5) {
				p += weight[j] / 100
				printf("{\"time\":\"%sT10:00:00+08:00\",\"rep\":" \
				    "\"%s\",\"opportunity_id\":\"G%d\",\"type\":" \
				    "\"%s\",\"content\":\"G%d %s\"}\n", on,
				    i % 2 ? "张伟" : "王芳", i, type[j],
				    i, type[j]) > "activities.jsonl"
			}
		printf("G%d,客户%d有限公司,%s,%s,10,%s,%s,%s\n", i, i,
		    i % 2 ? "张伟" : "王芳", rnd() < p ? "赢单" : "输单", on,
		    shut, shut) > "deals.csv"
	}
}
