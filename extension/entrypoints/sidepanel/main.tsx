// Side panel entry (Chrome side panel, Firefox sidebar): the company scan for the active tab,
// or for the tab named by ?tab= when the panel is opened as a page.
import { render } from 'preact';
import '../../ui/styles.css';
import { SidePanel } from './SidePanel.tsx';

const param = new URLSearchParams(location.search).get('tab');
render(<SidePanel pinnedTabId={param ? Number(param) : null} />, document.getElementById('app')!);
