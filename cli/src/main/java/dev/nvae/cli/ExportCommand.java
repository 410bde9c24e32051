package dev.nvae.cli;

import dev.nvae.io.OutputTarget;
import dev.nvae.io.StoredDtype;
import dev.nvae.model.LoadedModel;
import dev.nvae.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rewrite a model file with its tensors stored as another dtype.",
                "--dtype bf16 rounds every value to bfloat16 (nearest even): half the size, for inference on small "
                        + "machines and for PyTorch, which loads the tensors as bfloat16 (torch.bfloat16). nvae runs such a file for "
                        + "inference at either --precision (a conv model at bf16 on --backend onednn with a CPU that has avx512_bf16 or amx_bf16, as "
                        + "any conv model); training resumes only from fp32 checkpoints."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--dtype", paramLabel = "T", required = true, description = "bf16 or fp32.")
    String dtype;

    @Option(names = "--out", paramLabel = "M.safetensors", required = true, description = "The file to write (not the input).")
    Path out;

    @Override
    public Integer call() {
        StoredDtype stored = StoredDtype.parse("--dtype", dtype);
        OutputPaths.requireFileName(spec, "--out", "export writes one file");
        OutputTarget target = OutputPaths.file(out, "--out", OutputPaths.inputs().file("--model", model.path), null, null);
        OutputFormats.require(out, "--out", OutputFormats.SAFETENSORS, "export");
        try (LoadedModel loaded = model.load()) {
            String overflow = stored == StoredDtype.BF16 ? ModelFile.bf16Overflow(loaded.model()) : null;
            if (overflow != null) throw new dev.nvae.NvaeException("--dtype bf16: " + overflow + "; export it with --dtype fp32");
            ModelFile.save(loaded.model(), out, loaded.classNames(), loaded.training(), stored);
        }
        try {
            // A stream (-, /dev/null, a pipe, /dev/stdout appended to a file) has no size of its own to report.
            if (!(target instanceof OutputTarget.RegularFile)) {
                spec.commandLine().getErr().printf("wrote %s (%s; %s is %,d bytes)%n", out, stored.header(), model.path, Files.size(model.path));
                return 0;
            }
            spec.commandLine().getErr().printf("wrote %s (%s, %,d bytes; %s was %,d)%n", out, stored.header(), Files.size(out),
                    model.path, Files.size(model.path));
        } catch (IOException e) {
            spec.commandLine().getErr().printf("wrote %s (%s)%n", out, stored.header());
        }
        return 0;
    }
}
