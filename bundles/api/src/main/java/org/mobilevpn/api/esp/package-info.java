/**
 * ESP security associations as data, and the service that turns them into per-packet transforms.
 *
 * <p>An {@link org.mobilevpn.api.esp.EspSa} is an immutable record of what IKE negotiated (RFC 4303,
 * RFC 7296 §2.17): SPI, algorithms, keys, ESN, replay window, UDP encapsulation and lifetimes. The
 * {@link org.mobilevpn.api.esp.EspTransformFactory} service builds an
 * {@link org.mobilevpn.api.esp.EspEncryptor} (outbound) or {@link org.mobilevpn.api.esp.EspDecryptor}
 * (inbound) from it. Transforms work on {@code ByteBuffer}s (direct ones on the hot path) without
 * allocating per packet and report per-packet outcomes as {@link org.mobilevpn.api.esp.EspStatus}
 * values instead of exceptions.
 *
 * <p>The SA record stays with its owner (the policy manager); a transform keeps its own key copies and
 * wipes them when closed, so the esp bundle can be replaced while the SA data lives on.
 */
@Export
@Version("2.0.0")
package org.mobilevpn.api.esp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
