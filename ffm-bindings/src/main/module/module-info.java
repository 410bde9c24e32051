/**
 * oneDNN and CUDA-runtime bindings on {@code java.lang.foreign}: internal to nvae, read only by the library
 * module {@code dev.nvae}. Its two resource packages are open so that the class loader finds the natives
 * manifest and the include lists also when this jar is on the module path.
 */
module dev.nvae.ffm {
    exports dev.nvae.ffm to dev.nvae;
    exports dev.nvae.ffm.dnnl to dev.nvae;
    exports dev.nvae.ffm.cuda to dev.nvae;
    opens dev.nvae.ffm;
    opens dev.nvae.ffm.dnnl;
}
