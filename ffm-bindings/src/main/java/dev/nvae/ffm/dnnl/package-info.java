/**
 * oneDNN 3.x C API bindings in the shape jextract emits: {@link dev.nvae.ffm.dnnl.dnnl_h} (functions,
 * constants, typedef layouts), struct classes {@link dev.nvae.ffm.dnnl.dnnl_exec_arg_t} and
 * {@link dev.nvae.ffm.dnnl.dnnl_version_t}, and {@link dev.nvae.ffm.dnnl.omp_h} for OpenMP thread control.
 * Written by hand from the shipped headers (jextract is not reachable here); the symbol lists live in
 * {@code ffm-bindings/jextract-includes*.txt} and {@code ffm-bindings/regenerate.sh} regenerates with jextract.
 * Check every {@code dnnl_status_t} with {@link dev.nvae.ffm.DnnlStatus#check(String, int)}.
 */
package dev.nvae.ffm.dnnl;
