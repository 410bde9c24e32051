// Startup of `spark/local shell`: a local SparkSession as `spark`, as pyspark and spark-shell define it.
import org.apache.spark.sql.*;
import static org.apache.spark.sql.functions.*;
var spark = SparkSession.builder().appName("nvae shell").config("spark.ui.enabled", "false").getOrCreate();
spark.sparkContext().setLogLevel("WARN");
