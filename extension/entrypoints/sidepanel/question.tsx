// One question of the scan: its proposed or accepted value with evidence and Accept / Edit /
// Reject, or a text box for questions only a person can answer and those nothing was found for.
import { useEffect, useRef, useState } from 'preact/hooks';
import { isListQuestion, type TemplateQuestion } from '../../lib/template.ts';
import type { DraftAnswer } from '../../lib/types.ts';
import { safeHref } from '../../ui/header.tsx';
import { evidenceText, formatValue, pathOf } from './format.ts';

export function Question({ question, answer, onChange }: { question: TemplateQuestion; answer: DraftAnswer | undefined; onChange: (answer: DraftAnswer | null) => void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const focusBox = useRef(false);
  // "Answer by hand" and "Edit" put the cursor in the box they open (issue 10).
  useEffect(() => {
    if (editing && focusBox.current && box.current) {
      focusBox.current = false;
      box.current.focus();
    }
  }, [editing]);
  const list = isListQuestion(question.key);
  const state = answer?.state;
  const startEdit = () => { setText(formatValue(answer?.value)); focusBox.current = true; setEditing(true); };
  const finishEdit = () => {
    // The box itself, not `text`: a click in the same turn as the last keystroke runs this render's
    // handler, whose `text` is one keystroke old (issue 10: Done dropped the answer).
    const typed = box.current?.value ?? text;
    const value = list ? typed.split('\n').map((l) => l.trim()).filter(Boolean) : typed.trim();
    onChange(value.length ? { value, method: 'manual', evidence: answer?.evidence ?? [], state: 'manual' } : null);
    setEditing(false);
  };
  const removeItem = (index: number) => {
    if (!answer || !Array.isArray(answer.value)) return;
    const value = answer.value.filter((_, i) => i !== index);
    const evidence = answer.evidence.length === answer.value.length ? answer.evidence.filter((_, i) => i !== index) : answer.evidence;
    onChange(value.length ? { ...answer, value, evidence } : null);
  };

  // Questions only a person can answer, and any question nothing was found for, take text.
  if (!answer || editing) {
    if (!editing && question.fill !== 'human') {
      return (
        <div class="question" data-question={question.key}>
          <div class="row spread"><span class="question-label">{question.label}</span><span class="pill">{question.fill === 'link' ? 'link' : 'not found'}</span></div>
          <button class="btn small" style={{ marginTop: '4px' }} onClick={startEdit}>Answer by hand</button>
        </div>
      );
    }
    return (
      <div class="question manual" data-question={question.key}>
        <div class="question-label">{question.label}</div>
        {question.help && <div class="small muted">{question.help}</div>}
        <textarea ref={box} rows={editing ? 3 : 2} value={editing ? text : ''} aria-label={question.label} placeholder={list ? 'One per line' : 'Your answer'}
          onInput={(e) => { setText((e.target as HTMLTextAreaElement).value); if (!editing) setEditing(true); }} onBlur={() => editing && finishEdit()} />
        {editing && <div class="actions"><button class="btn small primary" onMouseDown={(e) => e.preventDefault()} onClick={finishEdit}>Done</button></div>}
      </div>
    );
  }

  const values = list && Array.isArray(answer.value) ? answer.value : [answer.value];
  return (
    <div class={`question ${state ?? ''}`} data-question={question.key} data-state={state}>
      <div class="row spread">
        <span class="question-label">{question.label}</span>
        <span class={`pill ${state === 'accepted' || state === 'manual' ? 'ok' : state === 'rejected' ? 'bad' : 'warn'}`}>
          {state === 'proposed' ? 'proposed' : state === 'manual' ? 'edited' : state}
        </span>
      </div>
      <div class="value">
        {values.map((value, index) => (
          <div class="value-item" key={index}>
            <span class="grow">{formatValue(value)}</span>
            {list && state !== 'rejected' && values.length > 1 && <button class="btn small" aria-label="Remove this one" onClick={() => removeItem(index)}>×</button>}
          </div>
        ))}
      </div>
      {answer.evidence.slice(0, 3).map((evidence, index) => (
        <div class="evidence" key={index}>“{evidenceText(evidence.snippet)}” <a href={safeHref(evidence.url)} target="_blank" rel="noreferrer">{pathOf(evidence.url)}</a></div>
      ))}
      <div class="actions">
        {state !== 'accepted' && state !== 'manual' && <button class="btn small primary" onClick={() => onChange({ ...answer, state: 'accepted' })} data-testid={`accept-${question.key}`}>Accept</button>}
        <button class="btn small" onClick={startEdit}>Edit</button>
        {state !== 'rejected'
          ? <button class="btn small danger" onClick={() => onChange({ ...answer, state: 'rejected' })}>Reject</button>
          : <button class="btn small" onClick={() => onChange({ ...answer, state: 'proposed' })}>Undo</button>}
      </div>
    </div>
  );
}

