"""Help cases (找帮助) and collective demands (集中性诉求), in a committee's schema: a youth's
need received online, verified offline, coordinated, resolved, reported back and evaluated
(线上接收诉求 → 线下核实分析 → 协调解决问题 → 及时反馈结果 → 接受青年评价)."""
