import { toString as qrSvg } from "qrcode";
import { useEffect, useState } from "react";

/** A QR code of an address, drawn as SVG in the page (no image fetched from elsewhere); its text alternative says where it leads. */
export function QrCode({ value, label }: { value: string; label: string }) {
  const [svg, setSvg] = useState<string>();
  useEffect(() => {
    let current = true;
    qrSvg(value, {
      type: "svg",
      margin: 1,
      errorCorrectionLevel: "M",
      color: { dark: "#000000", light: "#ffffff" },
    }).then(
      (drawn) => current && setSvg(drawn),
      () => current && setSvg(undefined),
    );
    return () => {
      current = false;
    };
  }, [value]);
  // The SVG is the library's own drawing of the address, not content from elsewhere.
  return (
    <div
      className="fne-qr"
      role="img"
      aria-label={label}
      data-testid="qr-code"
      dangerouslySetInnerHTML={svg ? { __html: svg } : undefined}
    />
  );
}
