package example;
import dev.nvae.api.NvaeModel;
import dev.nvae.api.SampleRequest;
import java.nio.file.Files;
import java.nio.file.Path;

public class SampleSandals {
    public static void main(String[] args) throws Exception {
        try (NvaeModel model = NvaeModel.open(Path.of(args[0]))) {           // a file `nvae train` wrote
            SampleRequest sandals = SampleRequest.of(model.classIndex("Sandal"), 16).withSeed(7);
            Files.write(Path.of(args[1]), model.samplePng(sandals));         // a PNG grid, 10 to a row
            System.out.println("16 sandals in " + args[1] + " (" + model.info().backend() + ")");
        }
    }
}
