// The web library's one stylesheet, served as a static file so the CSP can forbid inline styles.
// Kept as a string module (not a .css file) so the bundled CLI carries it without a loader.
export const STYLESHEET = `
:root {
  --ink: #1f2a30; --muted: #5b6870; --line: #d9e0e3; --paper: #fbfaf7; --card: #ffffff;
  --accent: #1d6b5f; --accent-soft: #e3f1ee; --warn: #8a4b00; --warn-soft: #fff3e0; --mark: #fde9a8;
  --danger: #9b2c2c; --radius: 6px; --measure: 44rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--ink); background: var(--paper); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid #f0b429; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
header.top { background: var(--card); border-bottom: 1px solid var(--line); }
header.top .bar { max-width: 72rem; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; }
.brand { font-weight: 700; color: var(--ink); text-decoration: none; font-size: 1.1rem; letter-spacing: .01em; }
.brand span { color: var(--accent); }
.libname { color: var(--muted); font-size: .9rem; display: flex; flex-direction: column; line-height: 1.2; min-width: 0; max-width: 14rem; }
.libname > span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.libname a { font-size: .82rem; white-space: nowrap; }
nav.main { display: flex; flex-wrap: wrap; gap: .2rem .9rem; flex: 1; }
/* On a wide screen the header is one line, whatever the library's name and the switcher. */
@media (min-width: 64rem) {
  header.top .bar { flex-wrap: nowrap; }
  nav.main { flex-wrap: nowrap; white-space: nowrap; }
  header.top .who { white-space: nowrap; flex-shrink: 0; }
}
nav.main a { text-decoration: none; color: var(--ink); padding: .2rem 0; border-bottom: 2px solid transparent; }
nav.main a[aria-current="page"] { border-bottom-color: var(--accent); color: var(--accent); }
.who { display: flex; gap: .6rem; align-items: center; font-size: .92rem; color: var(--muted); }
.who form { margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1.2rem 1rem 3rem; }
h1 { font-size: 1.6rem; margin: .2rem 0 .8rem; line-height: 1.25; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; }
h3 { font-size: 1.02rem; margin: 1.1rem 0 .4rem; }
.muted, .meta { color: var(--muted); }
.meta { font-size: .9rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem 1.6rem; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) 20rem; gap: 1.6rem; }
@media (max-width: 52rem) { .cols { grid-template-columns: minmax(0, 1fr); } }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: .9rem 1rem; }
.card + .card, aside > * + *, .grid > div > * + * { margin-top: 1rem; }
/* Grid items sit in their row: a card after a card inside a grid gets no extra top margin. */
.grid > .card, .cols > .card, .people > .card, .filters > * { margin-top: 0; }
.card h2:first-child, .card h3:first-child { margin-top: 0; }
ul.items { list-style: none; padding: 0; margin: 0; }
ul.items > li { padding: .6rem 0; border-bottom: 1px solid var(--line); }
ul.items > li:last-child { border-bottom: 0; }
ul.items.card { padding: .15rem 1rem; }
.item-title { font-weight: 600; }
.snippet { margin: .25rem 0; color: var(--ink); }
mark { background: var(--mark); color: inherit; padding: 0 .1em; border-radius: 2px; }
.tag { display: inline-block; background: var(--accent-soft); color: var(--accent); border-radius: 999px; padding: 0 .55rem; font-size: .82rem; margin: 0 .25rem .2rem 0; text-decoration: none; }
.badge { display: inline-block; border: 1px solid var(--line); border-radius: 4px; padding: 0 .4rem; font-size: .8rem; color: var(--muted); text-transform: lowercase; }
.badge.open, .badge.draft { border-color: var(--accent); color: var(--accent); }
.notice { background: var(--accent-soft); border-left: 4px solid var(--accent); padding: .6rem .9rem; border-radius: var(--radius); margin: .8rem 0; }
.warning { background: var(--warn-soft); border-left: 4px solid var(--warn); padding: .6rem .9rem; border-radius: var(--radius); margin: .8rem 0; }
.error { color: var(--danger); }
form.stack { display: grid; gap: .8rem; max-width: 34rem; }
form.stack.wide { max-width: none; }
label { font-weight: 600; font-size: .92rem; display: block; margin-bottom: .2rem; }
.hint { font-weight: 400; color: var(--muted); font-size: .85rem; }
input[type=text], input[type=email], input[type=password], input[type=search], input[type=date], select, textarea {
  width: 100%; font: inherit; padding: .45rem .55rem; border: 1px solid #b8c3c8; border-radius: var(--radius); background: #fff; color: var(--ink);
}
textarea { min-height: 8rem; resize: vertical; }
textarea.long { min-height: 16rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .92rem; }
fieldset { border: 1px solid var(--line); border-radius: var(--radius); padding: .6rem .9rem; margin: 0; }
legend { font-weight: 600; font-size: .92rem; padding: 0 .3rem; }
.checks label { font-weight: 400; display: flex; gap: .4rem; align-items: baseline; margin: .15rem 0; }
button, .button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: var(--radius); padding: .45rem 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
button.quiet, .button.quiet { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
button.link { background: none; color: var(--accent); padding: 0; text-decoration: underline; }
form.inline { display: inline-block; margin: .2rem .3rem .2rem 0; }
details > form { margin-top: .5rem; }
.filters input, .filters select { height: 2.5rem; }
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .6rem .9rem; align-items: end; }
.searchline { display: flex; gap: .5rem; margin-bottom: .8rem; }
.searchline input { flex: 1; font-size: 1.05rem; }
.pager { display: flex; gap: 1rem; margin-top: 1rem; }
article.clip-content { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.4rem; max-width: var(--measure); overflow-wrap: anywhere; }
article.clip-content img { max-width: 100%; height: auto; }
article.clip-content pre { overflow-x: auto; }
blockquote { border-left: 3px solid var(--line); margin: .6rem 0; padding: .1rem .9rem; color: #36444b; }
.markdown { max-width: var(--measure); }
.markdown table, table.data { border-collapse: collapse; width: 100%; }
.markdown td, .markdown th, table.data td, table.data th { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
table.data th[scope=row] { width: 22%; }
table.data td.meta { width: 24%; }
table.data th { font-size: .85rem; color: var(--muted); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); font-size: .9rem; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.meter { display: inline-block; width: 6rem; vertical-align: middle; height: .5rem; background: var(--line); border-radius: 999px; overflow: hidden; min-width: 6rem; }
.meter > span { display: block; height: 100%; background: var(--accent); }
.m0{width:0}.m10{width:10%}.m20{width:20%}.m30{width:30%}.m40{width:40%}.m50{width:50%}.m60{width:60%}.m70{width:70%}.m80{width:80%}.m90{width:90%}.m100{width:100%}
.section-head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; }
.answer-empty { color: var(--muted); font-style: italic; }
.evidence { font-size: .88rem; color: var(--muted); margin: .2rem 0 0; padding-left: 1rem; }
.people { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .8rem; }
.theme { margin-bottom: 1.4rem; }
.theme > ul.items { margin-top: .6rem; }
.secret { font-family: ui-monospace, monospace; word-break: break-all; background: #fff; border: 1px dashed var(--accent); padding: .5rem; border-radius: var(--radius); }
td.answer { overflow-wrap: anywhere; }
.answer-actions { margin-top: .35rem; }
.answer-actions summary { color: var(--accent); cursor: pointer; font-size: .88rem; display: inline-block; }
.answer-actions form.inline { margin: 0 .35rem .2rem 0; }
.answer-actions details form { margin-top: .4rem; max-width: none; }
.answer-actions textarea { min-height: 3.2rem; }
button.small, .button.small { font-size: .85rem; padding: .2rem .65rem; }
.badge.proposal { border-color: var(--warn); color: var(--warn); }
.choices { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin-top: 1rem; }
.choices form.inline { margin: 0; }
.case-results { margin-bottom: .4rem; }
footer.foot { max-width: 72rem; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); }
/* A narrow screen: the scan's table reflows, one question a block (question, answer, who). */
@media (max-width: 40rem) {
  table.data.scan, table.data.scan tbody, table.data.scan tr, table.data.scan th, table.data.scan td { display: block; width: auto; }
  table.data.scan thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.data.scan tr { border-bottom: 1px solid var(--line); padding: .45rem 0; }
  table.data.scan tr:last-child { border-bottom: 0; }
  table.data.scan th[scope=row], table.data.scan td { border-bottom: 0; padding: .1rem 0; }
  table.data.scan th[scope=row] { color: var(--ink); font-size: .9rem; }
  table.data.scan td.answered-by { font-size: .82rem; }
  .card.scan-section { padding: .7rem .75rem; }
}
@media (max-width: 40rem) {
  header.top .bar { gap: .3rem .8rem; }
  h1 { font-size: 1.35rem; }
  main { padding: 1rem .75rem 2.5rem; }
  .who { width: 100%; justify-content: space-between; }
}
/* Discussion, questions and the plenary (issue 14). */
ol.thread { list-style: none; margin: .3rem 0 0; padding-left: 1rem; border-left: 2px solid var(--line); }
section.discussion > ol.thread { padding-left: 0; border-left: 0; }
li.comment { margin: .6rem 0; }
.comment-actions { display: flex; flex-wrap: wrap; gap: .3rem .8rem; align-items: baseline; font-size: .9rem; }
li.answer.helpful { border-left: 3px solid var(--accent); padding-left: .6rem; }
ul.citations { margin: .3rem 0; font-size: .92rem; }
@media print {
  header.top, footer.foot, form, details, .comment-actions { display: none !important; }
  body.report main { max-width: none; padding: 0; }
  .report-case { break-inside: avoid-page; }
}
`;
