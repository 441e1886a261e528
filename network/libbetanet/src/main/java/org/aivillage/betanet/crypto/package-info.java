/**
 * The crypto facade: every primitive the project uses, on raw byte arrays, with one implementation
 * per primitive chosen by JMH evidence (docs/benchmarks.md). Nothing here logs or puts key material
 * into exception messages.
 */
package org.aivillage.betanet.crypto;
