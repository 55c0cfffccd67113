// The port list every bitsys PE has (rtl/README.md, "Port contract"). An operand word is 144 bits:
// a weight beat {c[15:0], s[63:0], w[63:0]}, or an activation word in [63:0] with [143:64] zero.
  input  wire                    clk,
  input  wire                    rst,      // synchronous, active high: every register to 0
  input  wire                    en,       // 0: every register holds (the array is stalled)
  input  wire              [1:0] df,       // dataflow: 0 output, 1 weight, 2 input stationary
  input  wire                    load,     // WS/IS: capture v_in into the stationary register (preload)
  input  wire                    clear,    // OS: restart the accumulator from this cycle's product
  input  wire                    drain,    // OS: take the accumulator from above (psum_in)
  input  wire            [143:0] h_in,     // from the left: OS/WS the activation word, IS the weight beat
  input  wire            [143:0] v_in,     // from above: OS/WS the weight beat, IS the activation word
  input  wire signed [ACC_W-1:0] psum_in,  // from the PE above
  output reg             [143:0] h_out,    // h_in, registered: to the PE on the right
  output wire            [143:0] v_out,    // the vertical register: to the PE below
  output reg  signed [ACC_W-1:0] acc       // OS: the accumulator; WS/IS: the partial sum to the PE below
`ifdef BITSYS_OVERLAP
  // The overlapped schedule's registers (rtl/README.md, "Overlapped folds"): only in arrays built
  // with BITSYS_OVERLAP, so the PE contract above (lockstep, formal, synthesis) is unchanged.
  ,
  input  wire                    overlap,  // 1: folds overlap (the ports below are in use); 0: as without them
  input  wire                    mark_in,  // travels with h_in: OS a fold's last beat, WS/IS a fold's first element
  output reg                     mark_out, // mark_in, registered: to the PE on the right
  input  wire                    chain,    // WS/IS: the preload chain shifts (v_in into the vertical register)
  input  wire                    commit,   // WS/IS, with chain: the chain is full; v_in also enters the shadow
  input  wire                    odrain,   // OS: the output registers shift down one row
  input  wire signed [ACC_W-1:0] out_in,   // OS: the output register of the PE above
  output wire signed [ACC_W-1:0] out_out   // OS: this PE's output register
`endif
