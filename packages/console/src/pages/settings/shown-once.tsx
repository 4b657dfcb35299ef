/** A secret shown once after it is made: a warning, each value with a copy button, and the button that closes it. */
import { CopyButton } from '../../components/copy-button';

export function ShownOnce(props: {
  warning: string;
  values: { text: string; testId: string; secret?: boolean }[];
  done: string;
  onDone(): void;
}) {
  return (
    <div className="callout warning" role="status">
      <strong>{props.warning}</strong>
      {props.values.map((v) => (
        <div className="code-block" key={v.testId}>
          <code className={v.secret ? 'secret' : undefined} data-testid={v.testId}>
            {v.text}
          </code>
          <CopyButton text={v.text} />
        </div>
      ))}
      <button type="button" className="btn btn-small btn-ghost" onClick={props.onDone}>
        {props.done}
      </button>
    </div>
  );
}
