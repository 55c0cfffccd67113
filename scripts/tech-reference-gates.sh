#!/bin/sh
# Synthesizes the reference circuits the technology files calibrate on and are validated against
# (Horowitz's 8- and 32-bit adders and multipliers; a 16-bit MAC for Eyeriss's ratios) with the
# flow of `bitsys synth` (rtl/cosim/synthesis.cpp: abc -g cmos2; NAND2-eq = CMOS transistors / 4)
# and prints configs/tech/reference-gates.json.
# usage: sh scripts/tech-reference-gates.sh > configs/tech/reference-gates.json
set -e
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat > "$d/ref.v" <<'V'
module add8(input [7:0] a, b, output [7:0] y); assign y = a + b; endmodule
module mul8(input [7:0] a, b, output [15:0] y); assign y = a * b; endmodule
module add32(input [31:0] a, b, output [31:0] y); assign y = a + b; endmodule
module mul32(input [31:0] a, b, output [63:0] y); assign y = a * b; endmodule
module mac16(input [15:0] a, b, input [31:0] c, output [31:0] y); assign y = c + a * b; endmodule
V
for top in add8 mul8 add32 mul32 mac16; do
  yosys -q -p "read_verilog $d/ref.v; hierarchy -top $top; proc; flatten; opt; wreduce; synth -top $top -flatten -run coarse:; abc -g cmos2; opt_clean; tee -q -o $d/$top.json stat -json -tech cmos" >/dev/null
done
/usr/bin/python3 - "$d" <<'P'
import json, sys
d = sys.argv[1]
doc = {
    "name": "reference-gates",
    "notes": "Reference circuits synthesized with bitsys's flow (abc -g cmos2): 8- and 32-bit adders and multipliers "
             "(Horowitz ISSCC 2014's operations) and a 16-bit MAC (Eyeriss's). Produced by "
             "`sh scripts/tech-reference-gates.sh > configs/tech/reference-gates.json`; do not edit.",
    "tool": "",
    "circuits": {},
}
for top in ("add8", "mul8", "add32", "mul32", "mac16"):
    j = json.load(open("%s/%s.json" % (d, top)))
    doc["tool"] = j.get("creator", "Yosys")
    t = int(j["design"]["estimated_num_transistors"])
    doc["circuits"][top] = {"transistors": t, "nand2_eq": t / 4}
print(json.dumps(doc, indent=2, sort_keys=True))
P
