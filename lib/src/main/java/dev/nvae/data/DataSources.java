package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.InputFiles;
import dev.nvae.io.IoErrors;
import dev.nvae.io.Npy;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Resolves the {@code --data} flag to a dataset:
 * <ul>
 *   <li>{@code fashion-mnist} — the Debian package {@code dataset-fashion-mnist} in /usr/share/datasets
 *       (system property {@code nvae.fashionMnistDir} overrides);</li>
 *   <li>{@code testdata} — the subset committed under {@code testdata/fashion-mnist-subset};</li>
 *   <li>anything else — a directory, whose layout is detected, in this order:
 *     <ol>
 *       <li>IDX files in the MNIST layout ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 *           {@code t10k-...}, each optionally {@code .gz});</li>
 *       <li>NPY arrays: {@code train-images.npy} with {@code train-labels.npy}, and {@code test-...}
 *           (see {@link NpyPairReader});</li>
 *       <li>class sub-folders of PNG/PGM images (see {@link ImageFolderReader}).</li>
 *     </ol>
 *     A directory holding both IDX and NPY images is refused. IDX and NPY directories take class names from an optional {@code classes.txt}; their images without a labels
 *     file have no label.</li>
 * </ul>
 */
public final class DataSources {
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
    static final String TESTDATA_SUBSET = "testdata/fashion-mnist-subset";
    static final String CLASSES_FILE = "classes.txt";

    private DataSources() {
    }

    private static volatile Consumer<String> notices = message -> { };

    /** Where to say what a load leaves out of the data it was given (one line each; a CLI prints them as warnings). */
    public static void onNotice(Consumer<String> listener) {
        notices = listener;
    }

    public static Dataset load(String spec, Split split) {
        if (spec.isBlank()) throw new NvaeException("--data is empty; give fashion-mnist, testdata or a directory");
        return switch (spec) {
            case "fashion-mnist" -> {
                Path dir = Path.of(System.getProperty("nvae.fashionMnistDir", FASHION_MNIST_DIR));
                if (!Files.isDirectory(dir)) {
                    throw new NvaeException("--data fashion-mnist: " + dir + " not found; install it with: apt-get install dataset-fashion-mnist");
                }
                yield loadMnistLayout(dir, split, spec, FASHION_MNIST_CLASSES);
            }
            case "testdata" -> {
                Path bundled = testdataDir();
                noteShadowed(spec, bundled.getParent());
                yield loadMnistLayout(bundled, split, spec, FASHION_MNIST_CLASSES);
            }
            default -> loadDirectory(Path.of(spec), split, spec);
        };
    }

    /**
     * A built-in source's name read as the source while a directory of that name is in the working directory: the user
     * may have meant the directory, which was passed over without a word.
     */
    private static void noteShadowed(String spec, Path source) {
        noteShadowed(spec, source, Path.of(spec));
    }

    /** {@code here}: the directory the name would be as a path (the working directory's {@code ./testdata}). */
    static void noteShadowed(String spec, Path source, Path here) {
        try {
            if (Files.isDirectory(here) && !Files.isSameFile(here, source)) {
                notices.accept("--data " + spec + " is the bundled subset (" + source + "), not the folder " + here.toAbsolutePath()
                        + " here; give --data ./" + spec + " for that one");
            }
        } catch (java.io.IOException unreadable) {
            // no note: the name is read as the source, as it always is
        }
    }

    /** Loads one split of a directory in the MNIST layout; class names from classes.txt or "0".."K-1". */
    public static Dataset loadDirectory(Path dir, Split split) {
        return loadDirectory(dir, split, dir.toString());
    }

    private static Dataset loadDirectory(Path dir, Split split, String spec) {
        if (!Files.isDirectory(dir)) {
            // A mistyped path is told apart from a file given where its directory was meant.
            throw new NvaeException("--data " + spec + ": " + dir.toAbsolutePath() + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        refuseTwoLayouts(dir, spec);
        if (isMnistLayout(dir)) return loadMnistLayout(dir, split, spec, null);
        if (isNpyLayout(dir)) return loadNpyLayout(dir, split, spec);
        if (ImageFolderReader.looksLikeImageFolder(dir)) {
            Dataset set = ImageFolderReader.read(dir, split, spec + ":" + split.label());
            // Left out by design (unlabelled/ is training data), but a user who put images there meant them to be read.
            int left = split == Split.TEST ? ImageFolderReader.unlabelledTestImages(dir).size() : 0;
            if (left > 0) {
                notices.accept("--data " + spec + ": the " + left + (left == 1 ? " image" : " images") + " in "
                        + dir.resolve("test").resolve(ImageFolderReader.UNLABELLED) + " are left out of the test split, which is "
                        + "test/'s class folders (unlabelled/ is read for training only, from train/ or beside it)");
            }
            return set;
        }
        throw new NvaeException("--data " + spec + ": no dataset in " + dir + "; expected IDX files (train-images-idx3-ubyte[.gz] "
                + "and train-labels-idx1-ubyte[.gz]), NPY files (train-images.npy and train-labels.npy), or one sub-folder of "
                + "PNG/PGM images per class");
    }

    /**
     * IDX and NPY images in one directory, or either beside sub-folders of images: read in the order above, the IDX set
     * would win without a word, and the NPY set's labels (a semi-supervised variant written beside the original, say)
     * with it, or the image folders would go unread. Only a sub-folder that holds images counts: notes or runs kept
     * beside the files are no data set.
     */
    private static void refuseTwoLayouts(Path dir, String spec) {
        Path idx = existing(dir, "train-images-idx3-ubyte");
        if (idx == null) idx = existing(dir, "t10k-images-idx3-ubyte");
        Path npy = Files.isRegularFile(dir.resolve("train-images.npy")) ? dir.resolve("train-images.npy")
                : Files.isRegularFile(dir.resolve("test-images.npy")) ? dir.resolve("test-images.npy") : null;
        if (idx != null && npy != null) {
            throw new NvaeException("--data " + spec + ": " + dir + " holds both IDX files (" + idx.getFileName() + ") and NPY files ("
                    + npy.getFileName() + "), so which set is the data is ambiguous; move one of them to a directory of its own");
        }
        Path files = idx != null ? idx : npy;
        Path folder = files == null ? null : ImageFolderReader.firstFolderWithImages(dir);
        if (folder != null) {
            throw new NvaeException("--data " + spec + ": " + dir + " holds both " + (idx != null ? "IDX" : "NPY") + " files ("
                    + files.getFileName() + ") and sub-folders of PNG/PGM images (" + dir.relativize(folder) + "/), so which set is "
                    + "the data is ambiguous; move one of them to a directory of its own");
        }
    }

    /** Whether {@code dir} holds a dataset in the IDX or NPY layout. */
    static boolean isDataset(Path dir) {
        return isMnistLayout(dir) || isNpyLayout(dir);
    }

    private static boolean isMnistLayout(Path dir) {
        return existing(dir, "train-images-idx3-ubyte") != null || existing(dir, "t10k-images-idx3-ubyte") != null;
    }

    private static boolean isNpyLayout(Path dir) {
        return Files.isRegularFile(dir.resolve("train-images.npy")) || Files.isRegularFile(dir.resolve("test-images.npy"));
    }

    /**
     * The first PNG stored in colour of the image folder {@code spec} names — one such file makes the whole
     * folder RGB — or null where {@code spec} names no image folder (IDX or NPY data) or it holds none: for a
     * message that says why a folder of mostly grey images reads as colour.
     */
    public static Path colourImage(String spec) {
        Path dir = directory(spec);
        if (dir == null || isMnistLayout(dir) || isNpyLayout(dir) || !ImageFolderReader.looksLikeImageFolder(dir)) return null;
        return ImageFolderReader.firstStoredInColour(dir);
    }

    /**
     * {split}-images.npy and {split}-labels.npy; classes from classes.txt or numbered up to the largest label of both
     * splits; images without a labels file beside them have no label ({@link #noLabelsFile}).
     */
    private static Dataset loadNpyLayout(Path dir, Split split, String spec) {
        String prefix = split.label();
        Path images = dir.resolve(prefix + "-images.npy");
        Path labels = dir.resolve(prefix + "-labels.npy");
        if (!Files.isRegularFile(images)) {
            Split otherSplit = split == Split.TRAIN ? Split.TEST : Split.TRAIN;
            boolean otherThere = Files.isRegularFile(dir.resolve(otherSplit.label() + "-images.npy"));
            throw new NvaeException("--data " + spec + ": " + images + " not found" + (otherThere ? onlySplit(otherSplit) : ""));
        }
        if (!Files.isRegularFile(labels)) labels = noLabelsFile(spec, images, labels);
        List<String> names = classNamesFile(dir, spec);
        int k = labels == null ? 0 : NpyPairReader.maxLabel(labels) + 1;
        Path other = dir.resolve((split == Split.TRAIN ? "test" : "train") + "-labels.npy");
        if (Files.isRegularFile(other)) k = Math.max(k, NpyPairReader.maxLabel(other) + 1);
        if (names != null && names.size() < k) {
            throw tooFewNames(dir, names, k);
        }
        Dataset d = NpyPairReader.read(images, labels, names, k, spec + ":" + split.label());
        Path otherImages = dir.resolve((split == Split.TRAIN ? "test" : "train") + "-images.npy");
        if (Files.isRegularFile(otherImages)) {
            NpyPairReader.ImageShape shape = NpyPairReader.imageShape(otherImages, Npy.shape(otherImages, NpyPairReader.IMAGE_DTYPES));
            sameImageSize(otherImages, shape.height(), shape.width(), d, images);
            sameChannels(otherImages, shape.channels(), d, images);
        }
        if (labels == null) sayNoLabels(spec, images, dir.resolve(prefix + "-labels.npy"));
        return d;
    }

    /**
     * Null, for images whose labels file ({@code candidates}: its names, each not a regular file) is not there: they are
     * examples without a label (a vae's samples, unlabelled data for --labels none), as if every label were -1; said as a
     * notice ({@link #sayNoLabels}), as a forgotten file would otherwise only show as missing accuracies. A name that is
     * there but no file — a link to a file that is gone, a directory — is refused (links not followed), not read as "no
     * labels".
     */
    private static Path noLabelsFile(String spec, Path images, Path... candidates) {
        for (Path c : candidates) {
            if (Files.exists(c, LinkOption.NOFOLLOW_LINKS)) throw new NvaeException("--data " + spec + ": " + c + " is not a file");
        }
        return null;
    }

    /**
     * The notice of {@link #noLabelsFile}, given once the images are read and checked: images refused for themselves
     * are refused in one line, with no word about labels the user would fix in vain first.
     */
    private static void sayNoLabels(String spec, Path images, Path labels) {
        notices.accept("--data " + spec + ": no " + labels.getFileName() + " beside " + images.getFileName() + ": its images have no label");
    }

    /**
     * The two splits of a dataset must hold images of one size: a model trained on one split is tested
     * on the other. Checked from the other split's header, without reading its data.
     */
    private static void sameImageSize(Path other, long height, long width, Dataset loaded, Path loadedFile) {
        if (height != loaded.height() || width != loaded.width()) {
            throw new FormatException(other, "holds images of " + height + "x" + width + " but " + loadedFile + " holds "
                    + loaded.height() + "x" + loaded.width() + "; the train and test splits must have one image size");
        }
    }

    /** As {@link #sameImageSize}, for the number of channels: grey images and colour ones of one size are no one set. */
    private static void sameChannels(Path other, int channels, Dataset loaded, Path loadedFile) {
        if (channels != loaded.channels()) {
            throw new FormatException(other, "holds images of " + channels + (channels == 1 ? " channel" : " channels") + " but " + loadedFile
                    + " holds " + loaded.channels() + "; the train and test splits must have one number of channels");
        }
    }

    /**
     * Images without a labels file beside them have no label, as NPY ones ({@link #noLabelsFile}).
     *
     * @param classNames fixed class names, or null to read classes.txt or else number the classes
     *                   0..K-1 with K = max label + 1 over both splits, so train and test agree
     */
    private static Dataset loadMnistLayout(Path dir, Split split, String spec, List<String> classNames) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path images = existing(dir, prefix + "-images-idx3-ubyte");
        if (images == null) {
            Split otherSplit = split == Split.TRAIN ? Split.TEST : Split.TRAIN;
            boolean otherThere = existing(dir, (split == Split.TRAIN ? "t10k" : "train") + "-images-idx3-ubyte") != null;
            throw new NvaeException("--data " + spec + ": " + dir.resolve(prefix + "-images-idx3-ubyte") + " (or .gz) not found"
                    + (otherThere ? onlySplit(otherSplit) : ""));
        }
        String labelsName = prefix + "-labels-idx1-ubyte";
        Path labels = existing(dir, labelsName);
        if (labels == null) labels = noLabelsFile(spec, images, dir.resolve(labelsName), dir.resolve(labelsName + ".gz"));
        List<String> names = classNames;
        if (names == null) {
            int k = labels == null ? 0 : IdxReader.maxLabel(IdxReader.readLabels(labels).data()) + 1;
            Path other = existing(dir, (split == Split.TRAIN ? "t10k" : "train") + "-labels-idx1-ubyte");
            if (other != null) k = Math.max(k, IdxReader.maxLabel(IdxReader.readLabels(other).data()) + 1);
            names = classNamesFile(dir, spec);
            if (names == null) {
                names = IntStream.range(0, k).mapToObj(Integer::toString).toList();
            } else if (names.size() < k) {
                throw tooFewNames(dir, names, k);
            }
        }
        Dataset d = IdxReader.readPair(images, labels, names.size(), names, spec + ":" + split.label());
        Path otherImages = existing(dir, (split == Split.TRAIN ? "t10k" : "train") + "-images-idx3-ubyte");
        if (otherImages != null) {
            int[] dims = IdxReader.dims(otherImages);
            if (dims.length == 3) sameImageSize(otherImages, dims[1], dims[2], d, images);
        }
        if (labels == null) sayNoLabels(spec, images, dir.resolve(labelsName));
        return d;
    }

    private static FormatException tooFewNames(Path dir, List<String> names, int k) {
        return new FormatException(dir.resolve(CLASSES_FILE), "lists " + names.size() + (names.size() == 1 ? " class name" : " class names")
                + " but the labels go up to " + (k - 1));
    }

    /** Names from {@code classes.txt}, one per line (trailing blank lines ignored), or null if there is none. */
    private static List<String> classNamesFile(Path dir, String spec) {
        Path file = dir.resolve(CLASSES_FILE);
        if (!Files.exists(file)) return null;
        InputFiles.requireRegularFile(file);
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file).stream().map(String::strip).toList());
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "is not UTF-8 text; write the class names in UTF-8, one per line");
        } catch (IOException e) {
            throw new NvaeException("--data " + spec + ": " + file + ": cannot read: " + IoErrors.reason(e), e);
        }
        // Notepad and other editors save UTF-8 with a byte order mark, which strip() keeps as part of the first name.
        if (!lines.isEmpty() && lines.getFirst().startsWith("\uFEFF")) lines.set(0, lines.getFirst().substring(1).strip());
        while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
        if (lines.isEmpty()) throw new FormatException(file, "lists no class names");
        if (lines.size() > 256) throw new FormatException(file, "lists " + lines.size() + " classes; at most 256 are supported");
        int blank = lines.indexOf("");
        if (blank >= 0) throw new FormatException(file, "line " + (blank + 1) + " is empty; write one class name per line");
        for (int i = 0; i < lines.size(); i++) {
            int first = lines.indexOf(lines.get(i));
            if (first < i) {
                throw new FormatException(file, "line " + (i + 1) + " repeats the class name '" + lines.get(i) + "' of line " + (first + 1)
                        + "; every class needs its own name");
            }
        }
        return List.copyOf(lines);
    }

    /**
     * A data set of one split is what {@code sample --format idx|npy} writes (a train or a test split): said where the
     * other split was asked for, so that the way on (the split there is, or a second file) is plain.
     */
    private static String onlySplit(Split there) {
        return "; it holds a " + there.label() + " split alone" + (there == Split.TRAIN
                ? " (--split train reads it)" : ", and training reads a train split");
    }

    /**
     * {@code name} or {@code name.gz}, whichever is there, or null. Both there is refused: one of them
     * would silently win (a file written beside the dataset's .gz files would replace them).
     */
    private static Path existing(Path dir, String name) {
        Path raw = dir.resolve(name), gz = dir.resolve(name + ".gz");
        boolean hasRaw = Files.isRegularFile(raw), hasGz = Files.isRegularFile(gz);
        if (hasRaw && hasGz) {
            throw new NvaeException(dir + ": holds both " + name + " and " + name + ".gz, so which one is the data is "
                    + "ambiguous; remove one of them");
        }
        return hasRaw ? raw : hasGz ? gz : null;
    }

    /** The files a dataset directory's readers take at its top level (IDX optionally .gz). */
    private static final List<String> LAYOUT_FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
            "train-images.npy", "train-labels.npy", "test-images.npy", "test-labels.npy", CLASSES_FILE);

    /** The directory {@code spec} names, without reading it; null if there is none. */
    public static Path directory(String spec) {
        // Path.of("") is the working directory, which a blank --data does not name: load refuses it as empty.
        if (spec.isBlank()) return null;
        try {
            Path dir = switch (spec) {
                case "fashion-mnist" -> Path.of(System.getProperty("nvae.fashionMnistDir", FASHION_MNIST_DIR));
                case "testdata" -> testdataDir();
                default -> Path.of(spec);
            };
            return Files.isDirectory(dir) ? dir : null;
        } catch (NvaeException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /**
     * Whether writing {@code file} would change the dataset {@code spec} names: it is one of the files its
     * readers take (IDX, NPY, classes.txt) or an image at the top of an image folder, or lies in one of its
     * sub-folders (the class folders of an image dataset). Links are resolved on both sides.
     */
    public static boolean wouldChange(String spec, Path file) {
        Path dir = directory(spec);
        if (dir == null) return false;
        try {
            Path data = dir.toRealPath();
            Path parent = file.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) return false;
            Path where = parent.toRealPath();
            if (where.equals(data)) return LAYOUT_FILES.contains(file.getFileName().toString()) || looseImage(data, file);
            return where.startsWith(data);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * An image written beside an image folder's class (or split) folders would be in none of them, and its reader
     * refuses such a folder: the output would make the data unreadable. IDX and NPY directories are read first and
     * ignore it.
     */
    private static boolean looseImage(Path data, Path file) {
        return ImageFiles.isImage(file) && !isMnistLayout(data) && !isNpyLayout(data) && ImageFolderReader.looksLikeImageFolder(data);
    }

    /**
     * Whether {@code dir} — a directory to be written, which need not exist yet — is the directory {@code spec} names or
     * lies inside it, links resolved. Files written there are part of the dataset (a sub-folder of an image dataset is a
     * class), or could be taken for it.
     */
    public static boolean encloses(String spec, Path dir) {
        Path data = directory(spec);
        if (data == null) return false;
        try {
            Path real = data.toRealPath();
            Path existing = dir.toAbsolutePath().normalize();
            Path rest = Path.of("");
            while (existing != null && !Files.exists(existing)) {
                rest = existing.getFileName().resolve(rest);
                existing = existing.getParent();
            }
            return existing != null && existing.toRealPath().resolve(rest).normalize().startsWith(real);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What marks {@code dir} as holding a dataset already — its first file of a dataset layout, or a
     * sub-folder with images (an image dataset's class or split folder) — or null. Writing a dataset there would
     * mix two; an empty sub-folder, or one of other files, is no dataset.
     */
    public static Path datasetIn(Path dir) {
        for (String name : LAYOUT_FILES) {
            if (Files.exists(dir.resolve(name))) return dir.resolve(name);
        }
        return Files.isDirectory(dir) ? ImageFolderReader.subfolderWithImages(dir) : null;
    }

    /**
     * ${nvae.home}/testdata/fashion-mnist-subset; without nvae.home (tests, IDE runs) the nearest
     * enclosing directory of the working directory that has it.
     */
    private static Path testdataDir() {
        String home = System.getProperty("nvae.home");
        if (home != null) {
            Path dir = Path.of(home).resolve(TESTDATA_SUBSET);
            if (!Files.isDirectory(dir)) throw new NvaeException("--data testdata: " + dir + " not found");
            return dir;
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(TESTDATA_SUBSET))) return p.resolve(TESTDATA_SUBSET);
        }
        throw new NvaeException("--data testdata: no " + TESTDATA_SUBSET + " in " + cwd
                + " or its parents; run from the nvae checkout or set -Dnvae.home");
    }
}
