// The one table printer and number formatter: columns fit their widest cell and nothing is cut;
// numbers read as a person writes them.
#include <gtest/gtest.h>

#include <sstream>

#include "app/report/table.h"

namespace bitsys {
namespace {

TEST(TextTable, ColumnsFitTheirWidestCellAndNothingIsCut) {
  TextTable t({{"layer"}, {"cycles", TextTable::kRight}});
  const std::string long_name = "layer4.1.downsample.conv.with.a.very.long.name";
  t.add_row({"c1", "7"});
  t.add_row({long_name, "1,234,567"});
  std::ostringstream os;
  t.print(os);
  // Widths: "layer" column = 46 (the long name), "cycles" = 9 ("1,234,567"), two spaces between.
  const std::string pad(46 - 5, ' '), pad_c1(46 - 2, ' ');
  EXPECT_EQ(os.str(), "layer" + pad + "     cycles\n" + "c1" + pad_c1 + "          7\n" + long_name + "  1,234,567\n");
}

TEST(TextTable, MarkdownHasOneRowPerLineAndAlignments) {
  TextTable t({{"a"}, {"b", TextTable::kRight}});
  t.add_row({"x", "1"});
  EXPECT_EQ(t.markdown(), "| a | b |\n| --- | ---: |\n| x | 1 |\n");
}

TEST(NumberFormat, AsAPersonWritesThem) {
  EXPECT_EQ(with_commas(0), "0");
  EXPECT_EQ(with_commas(999), "999");
  EXPECT_EQ(with_commas(3893047), "3,893,047");
  EXPECT_EQ(human_count(23550), "23,550");    // not "2.355e-05 G"
  EXPECT_EQ(human_count(1.814e9), "1.81 G");  // three significant digits
  EXPECT_EQ(human_count(4.2e6), "4.2 M");
  EXPECT_EQ(human_bytes(4096), "4,096 B");
  EXPECT_EQ(human_bytes(31.13e6), "31.13 MB");
  EXPECT_EQ(plural(1, "thread"), "1 thread");
  EXPECT_EQ(plural(2, "thread"), "2 threads");
  EXPECT_EQ(strf("%.2fx", 3.949), "3.95x");
}

}  // namespace
}  // namespace bitsys
