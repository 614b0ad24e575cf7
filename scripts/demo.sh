#!/usr/bin/env bash
# make demo: a tracking repository from the bundled plans, a month of progress reports from several
# offices, then this month's 督导通报 for every plan in all four formats and the 催办 list.
set -euo pipefail
cd "$(dirname "$0")/.."
YY="$(pwd)/.venv/bin/yytrack"
DEMO="$(pwd)/.demo/跟踪仓库"
rm -rf .demo
mkdir -p .demo

say() { printf '\n== %s\n' "$*"; }

say "新建跟踪仓库（内置方案：全国指导意见、福建实施方案、丘北县实施方案、福建示范项目通知）"
# The demo starts tracking three months ago, so the report shows reporting history (a real new
# repository starts today: months before that owe no report).
START=$(date -d "$(date +%Y-%m-01) -3 month" +%Y-%m-01)
"$YY" init "$DEMO" --start "$START" --author "省卫健委老龄处 <laoling@fj.example.cn>"
cd "$DEMO"
git config user.name "省卫健委老龄处"
git config user.email "laoling@fj.example.cn"

LAST_MONTH=$(date -d "$(date +%Y-%m-01) -1 day" +%Y-%m-20)
report() { "$YY" update "$@" >/dev/null; }

say "各单位报送进展（每次报送是一次 git 提交）"
report fujian-01 --unit 省卫健委 --status 推进中 --progress 40 --date "$LAST_MONTH" --note "完成全省社区医养结合设施摸底，形成项目清单。" --author "林芳 <linfang@wjw.fj.example.cn>"
report fujian-01 --unit 省卫健委 --status 推进中 --progress 65 --note "新建社区医养结合服务设施 46 个，正在验收。" --author "林芳 <linfang@wjw.fj.example.cn>"
report fujian-01 --unit 省民政厅 --status 推进中 --progress 50 --note "敬老院改扩建护理床位 1200 张。" --author "陈磊 <chenlei@mzt.fj.example.cn>"
report fujian-02 --unit 省卫健委 --status 推进中 --progress 70 --note "家庭病床服务机构增至 398 家。" --indicator "提供家庭病床服务的医疗卫生机构=398" --author "林芳 <linfang@wjw.fj.example.cn>"
report fujian-03 --unit 省卫健委 --status 已完成 --note "老年医院、康复医院建设任务全部完成。" --author "林芳 <linfang@wjw.fj.example.cn>"
report fujian-03 --unit 省民政厅 --status 已完成 --note "养老机构内设医疗服务站点全部备案。" --author "陈磊 <chenlei@mzt.fj.example.cn>"
report fujian-09 --unit 省医保局 --status 受阻 --progress 20 --note "长期护理保险试点资金测算未完成，需财政厅支持。" --author "黄静 <huangjing@ybj.fj.example.cn>"
report fujian-14 --unit 福州市人民政府 --status 推进中 --progress 50 --note "完成“双随机、一公开”抽查 120 家。" --author "郑伟 <zhengwei@fz.example.cn>"
report qiubei-02 --unit 县民政局 --status 推进中 --progress 80 --date "$LAST_MONTH" --note "全县 12 家养老机构已签约 10 家。" --author "王丽 <wangli@qb.example.cn>"
report fujian-demo-2025-05 --unit 国家卫生健康委 --status 推进中 --progress 60 --note "候选名单已在网站公示。" --author "国家卫健委老龄司 <laoling@nhc.example.cn>"
echo "已记录 10 条报送"
git log --oneline -5

say "审核：省卫健委老龄处对 fujian-03 同意办结"
cat >> tasks/config.yaml <<'CFG'
CFG
python3 - <<'PY'
import re, pathlib
p = pathlib.Path("tasks/config.yaml")
p.write_text(re.sub(r"reviewers:\s*\[\]", "reviewers:\n    - laoling@fj.example.cn", p.read_text(encoding="utf-8")), encoding="utf-8")
PY
git commit -qam "登记审核人"
"$YY" review fujian-03 --accept --note "材料齐全，同意销号。"

say "总体情况"
"$YY" status --plan fujian

say "本月督导通报（Markdown、HTML、Word、Excel）"
for fmt in md html docx xlsx; do "$YY" report --format "$fmt"; done

say "催办名单"
"$YY" remind --plan fujian > "$DEMO/reports/催办名单.txt"
head -20 "$DEMO/reports/催办名单.txt"

say "生成的文件"
ls -1 "$DEMO/reports"
