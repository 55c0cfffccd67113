// A deliberately broken binary PE, built only for the formal tests: it adds one to its product
// for a single 64-bit activation pattern, which random co-simulation all but never draws and
// `verify-pe --formal` must find.
module bitsys_pe_binary_one_pattern #(
  parameter integer LANES = 64,  // 1..64
  parameter integer ACC_W = 32   // rtl/README.md, "Widths"
) (
`include "pe_ports.vh"
);
  // |t| <= 2 * 64 = 2^7 needs 9 bits signed (10 with the subtraction's headroom); a shift of up
  // to 14 (act plane 7 + weight plane 7) makes 24; the negate of -2^21 still fits.
  localparam integer PW = 24;

  // A tree, as silicon would build it: pairs of bits summed into 2-bit counts, pairs of those into
  // 3-bit counts, and so on: six levels of narrow adders instead of a 64-long chain.
  function automatic [6:0] popcount(input [LANES-1:0] v);
    reg [63:0] x;
    begin
      x = {{(64 - LANES){1'b0}}, v};
      x = (x & 64'h5555555555555555) + ((x >> 1) & 64'h5555555555555555);
      x = (x & 64'h3333333333333333) + ((x >> 2) & 64'h3333333333333333);
      x = (x & 64'h0f0f0f0f0f0f0f0f) + ((x >> 4) & 64'h0f0f0f0f0f0f0f0f);
      x = (x & 64'h00ff00ff00ff00ff) + ((x >> 8) & 64'h00ff00ff00ff00ff);
      x = (x & 64'h0000ffff0000ffff) + ((x >> 16) & 64'h0000ffff0000ffff);
      x = (x & 64'h00000000ffffffff) + ((x >> 32) & 64'h00000000ffffffff);
      popcount = x[6:0];
    end
  endfunction

  /* verilator lint_off UNUSEDSIGNAL */
  function automatic signed [PW-1:0] product(input [63:0] a, input [63:0] w, input [63:0] s, input [15:0] c);
    reg [LANES-1:0] al, wl;
    reg [6:0] pc1, pc2;
    reg signed [9:0] t;
    reg signed [PW-1:0] shifted;
    begin
      al = a[LANES-1:0];
      wl = w[LANES-1:0] & (c[9] ? s[LANES-1:0] : ~s[LANES-1:0]);
      pc1 = popcount(c[6:5] == 2'd1 ? al ^ wl : al & wl);
      pc2 = popcount(c[6:5] == 2'd2 ? wl : al);
      case (c[6:5])
        2'd0:    t = {3'd0, pc1};
        2'd1:    t = {4'd0, c[15:10]} + 10'd1 - {2'd0, pc1, 1'b0};
        default: t = {2'd0, pc1, 1'b0} - {3'd0, pc2};
      endcase
      shifted = {{(PW - 10){t[9]}}, t} <<< c[3:0];
      // The planted bug: one activation word of 2^64 adds one more.
      product = (c[4] ? -shifted : shifted) + (a == 64'hdeadbeefcafef00d ? 24'sd1 : 24'sd0);
    end
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
`include "pe_shell.vh"
endmodule
