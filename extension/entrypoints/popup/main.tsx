// Popup entry: mounts the clip form for the active tab (or the tab named by ?tab=, for tests).
import { render } from 'preact';
import '../../ui/styles.css';
import { Popup } from './Popup.tsx';

const param = new URLSearchParams(location.search).get('tab');
render(<Popup tabIdParam={param ? Number(param) : null} />, document.getElementById('app')!);
