// The int8 PE with its lanes summed in the other order: a different circuit computing the same
// function, which `verify-pe --formal` must prove equal (tests only).
// int8 PE: LANES signed 16-bit lanes (9x9-bit products suffice: u8, s8, +-255 sign-magnitude),
// one full product per lane per cycle.
module bitsys_pe_int8_reordered #(
  parameter integer LANES = 1  // 1..4
) (
`include "pe_ports.vh"
);
  function automatic signed [63:0] product(input [63:0] a, input [63:0] wb, input [63:0] wx, input [31:0] wm, input [15:0] wc);
    integer l;
    reg signed [15:0] x, y;
    reg signed [31:0] m;
    reg signed [63:0] s;
    begin
      s = 64'sd0;
      for (l = LANES - 1; l >= 0; l = l - 1) begin  // lanes summed last to first
        x = a[16*l +: 16];
        y = wb[16*l +: 16];
        m = x * y;
        s = s + {{32{m[31]}}, m};
      end
      // The int8 beat carries no scale or constant: these fields are unused by design.
      product = s + {63'd0, ^{1'b0 & ^{wx, wm, wc}}};
    end
  endfunction
`include "pe_shell.vh"
endmodule
