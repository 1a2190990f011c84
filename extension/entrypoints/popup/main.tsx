// Popup: preview of the clip and where it goes.
import { render } from 'preact';

function Popup() {
  return <main>Casebook</main>;
}

render(<Popup />, document.getElementById('app')!);
