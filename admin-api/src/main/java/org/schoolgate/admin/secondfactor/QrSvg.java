package org.schoolgate.admin.secondfactor;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * A QR code as an inline SVG: ZXing computes the modules, one {@code <path>} draws them (no
 * images, no inline styles, so the page's CSP needs nothing extra). The SVG has a title for
 * screen readers; the secret is always shown in text beside it too.
 */
final class QrSvg {
  private static final int QUIET = 4;

  private QrSvg() {}

  static String of(String text, String title) {
    BitMatrix m;
    try {
      m = new QRCodeWriter().encode(text, com.google.zxing.BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 0));
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot draw a QR code of " + text.length() + " characters", e);
    }
    int size = m.getWidth() + 2 * QUIET;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        if (m.get(x, y)) {
          path.append('M').append(x + QUIET).append(' ').append(y + QUIET).append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
        + "\" width=\"240\" height=\"240\" role=\"img\" aria-labelledby=\"qr-title\" shape-rendering=\"crispEdges\">"
        + "<title id=\"qr-title\">" + escape(title) + "</title>"
        + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/>"
        + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
