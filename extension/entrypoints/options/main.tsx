// Options and first-run page: sign in to the server, choose the library, sign out.
import { render } from 'preact';
import '../../ui/styles.css';
import { Options } from './Options.tsx';

render(<Options />, document.getElementById('app')!);
