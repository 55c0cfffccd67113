// The port list every bitsys PE has (rtl/README.md, "Port contract").
  input  wire               clk,
  input  wire               rst,      // synchronous, active high: every register to 0
  input  wire               en,       // 0: every register holds (the array is stalled)
  input  wire               os,       // 1: output stationary, 0: weight stationary
  input  wire               load,     // WS: capture the incoming beat (preload shift)
  input  wire               clear,    // OS: restart the accumulator from this cycle's product
  input  wire               drain,    // OS: take the accumulator from above (psum_in)
  input  wire        [63:0] a_in,     // activation word
  input  wire        [63:0] wb_in,    // weight beat: bits
  input  wire        [63:0] wx_in,    // weight beat: aux
  input  wire        [31:0] wm_in,    // weight beat: mult (signed)
  input  wire        [15:0] wc_in,    // weight beat: bias (signed)
  input  wire signed [63:0] psum_in,  // from the PE above
  output reg         [63:0] a_out,    // to the PE on the right
  output wire        [63:0] wb_out,   // to the PE below
  output wire        [63:0] wx_out,
  output wire        [31:0] wm_out,
  output wire        [15:0] wc_out,
  output reg  signed [63:0] acc       // OS: the accumulator; WS: the partial sum to the PE below
