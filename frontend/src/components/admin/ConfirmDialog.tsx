import { Button, type ButtonProps } from "@codegouvfr/react-dsfr/Button";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

import "./admin.css";

interface Props {
  /** The button that asks, e.g. « Retirer ce lieu ». */
  label: string;
  /** The question the dialog asks. */
  title: string;
  /** What will happen, in words. */
  children: ReactNode;
  /** The button that does it, e.g. « Confirmer le retrait ». */
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  priority?: ButtonProps["priority"];
  disabled?: boolean;
}

/**
 * A destructive action behind a DSFR modal: the native `<dialog>` (modal, Escape closes it, the page behind is
 * inert), drawn with the DSFR's classes; focus goes to the dialog and back to the button that opened it.
 */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  priority = "secondary",
  disabled,
}: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const id = useId();

  // However the dialog closes (Escape, a button), the page takes it back and focus returns to the button.
  const finish = () => {
    setOpen(false);
    trigger.current?.focus();
  };

  useEffect(() => {
    const element = dialog.current;
    if (!open || !element) return;
    if (typeof element.showModal === "function" && !element.open) element.showModal();
    else element.setAttribute("open", "");
    element.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    const closed = () => {
      setOpen(false);
      // After the browser's own focus restoration, which may land elsewhere.
      setTimeout(() => trigger.current?.focus(), 0);
    };
    element.addEventListener("close", closed);
    return () => element.removeEventListener("close", closed);
  }, [open]);
  const close = () => {
    if (dialog.current?.open) dialog.current.close?.();
    finish();
  };
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      close();
    }
  };

  return (
    <>
      <Button
        ref={trigger}
        type="button"
        priority={priority}
        disabled={disabled}
        onClick={() => setOpen(true)}
      >
        {label}
      </Button>
      {open && (
        <dialog
          ref={dialog}
          aria-labelledby={`${id}-titre`}
          // The DSFR's look, not its « .fr-modal » class: its script would take the dialog over (Escape, focus).
          className="fne-modal"
          onKeyDown={(event) => {
            if (event.key !== "Escape") return;
            event.preventDefault();
            event.stopPropagation();
            close();
          }}
        >
          <div className="fr-container fr-container--fluid fr-container-md">
            <div className="fr-grid-row fr-grid-row--center">
              <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
                <div className="fr-modal__body">
                  <div className="fr-modal__header">
                    <button
                      type="button"
                      className="fr-btn--close fr-btn"
                      title="Fermer la fenêtre"
                      onClick={close}
                    >
                      Fermer
                    </button>
                  </div>
                  <div className="fr-modal__content">
                    <h2 id={`${id}-titre`} className="fr-modal__title">
                      {title}
                    </h2>
                    {children}
                  </div>
                  <div className="fr-modal__footer">
                    <ul className="fr-btns-group fr-btns-group--right fr-btns-group--inline-reverse fr-btns-group--inline-lg">
                      <li>
                        <Button type="button" onClick={() => void confirm()} disabled={busy}>
                          {confirmLabel}
                        </Button>
                      </li>
                      <li>
                        <Button
                          type="button"
                          priority="secondary"
                          onClick={close}
                          nativeButtonProps={{ "data-autofocus": true }}
                        >
                          Annuler
                        </Button>
                      </li>
                    </ul>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </dialog>
      )}
    </>
  );
}
