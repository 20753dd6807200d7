// Lateral nonlocal spin valve, in nanometres: a nonmagnetic channel along x (centred on
// the origin, z from 0 to tc) crossed by two ferromagnetic bars along y lying on it.
// The .geo twin of  kinetics.geometry.nonlocal_spin_valve(Lc, wc, tc, fm_widths=(w1, w2),
//     gap=gap, fm_thickness=tf, fm_length=lf).
SetFactory("OpenCASCADE");
DefineConstant[
  Lc = 600,    // channel length along x (nm)
  wc = 100,    // channel width along y (nm)
  tc = 10,     // channel thickness (nm)
  w1 = 50,     // width of electrode fm1 along x (nm)
  w2 = 80,     // width of electrode fm2 along x (nm)
  gap = 100,   // edge-to-edge electrode spacing (nm)
  tf = 10,     // electrode thickness (nm)
  lf = 300,    // electrode length along y (nm), >= wc
  h = 10       // maximum element size (nm)
];
Mesh.MeshSizeMax = h;
Mesh.Algorithm3D = 10;

Box(1) = {-Lc/2, -wc/2, 0, Lc, wc, tc};
Box(2) = {-gap/2 - w1, -lf/2, tc, w1, lf, tf};
Box(3) = {gap/2, -lf/2, tc, w2, lf, tf};
BooleanFragments{ Volume{1}; Delete; }{ Volume{2, 3}; Delete; }

e = 1e-4 * Lc;
z2 = tc + tf;
X1 = -gap/2 - w1;  X2 = -gap/2;     // fm1 spans X1..X2
X3 = gap/2;        X4 = gap/2 + w2; // fm2 spans X3..X4
Physical Volume("channel") = Volume In BoundingBox{-Lc/2 - e, -wc/2 - e, -e, Lc/2 + e, wc/2 + e, tc + e};
Physical Volume("fm1") = Volume In BoundingBox{X1 - e, -lf/2 - e, tc - e, X2 + e, lf/2 + e, z2 + e};
Physical Volume("fm2") = Volume In BoundingBox{X3 - e, -lf/2 - e, tc - e, X4 + e, lf/2 + e, z2 + e};

i1() = Surface In BoundingBox{X1 - e, -wc/2 - e, tc - e, X2 + e, wc/2 + e, tc + e};
i2() = Surface In BoundingBox{X3 - e, -wc/2 - e, tc - e, X4 + e, wc/2 + e, tc + e};
Physical Surface("channel|fm1") = i1();
Physical Surface("channel|fm2") = i2();
Physical Surface("contact_left") = Surface In BoundingBox{-Lc/2 - e, -wc/2 - e, -e, -Lc/2 + e, wc/2 + e, tc + e};
Physical Surface("contact_right") = Surface In BoundingBox{Lc/2 - e, -wc/2 - e, -e, Lc/2 + e, wc/2 + e, tc + e};
Physical Surface("channel_bottom") = Surface In BoundingBox{-Lc/2 - e, -wc/2 - e, -e, Lc/2 + e, wc/2 + e, e};
ctop() = Surface In BoundingBox{-Lc/2 - e, -wc/2 - e, tc - e, Lc/2 + e, wc/2 + e, tc + e};
ctop() -= {i1(), i2()};
Physical Surface("channel_top") = ctop();
Physical Surface("channel_ymin") = Surface In BoundingBox{-Lc/2 - e, -wc/2 - e, -e, Lc/2 + e, -wc/2 + e, tc + e};
Physical Surface("channel_ymax") = Surface In BoundingBox{-Lc/2 - e, wc/2 - e, -e, Lc/2 + e, wc/2 + e, tc + e};
For k In {1:2}
  xa = (k == 1) ? X1 : X3;
  xb = (k == 1) ? X2 : X4;
  Physical Surface(Sprintf("fm%g_top", k)) = Surface In BoundingBox{xa - e, -lf/2 - e, z2 - e, xb + e, lf/2 + e, z2 + e};
  Physical Surface(Sprintf("fm%g_xmin", k)) = Surface In BoundingBox{xa - e, -lf/2 - e, tc - e, xa + e, lf/2 + e, z2 + e};
  Physical Surface(Sprintf("fm%g_xmax", k)) = Surface In BoundingBox{xb - e, -lf/2 - e, tc - e, xb + e, lf/2 + e, z2 + e};
  Physical Surface(Sprintf("fm%g_ymin", k)) = Surface In BoundingBox{xa - e, -lf/2 - e, tc - e, xb + e, -lf/2 + e, z2 + e};
  Physical Surface(Sprintf("fm%g_ymax", k)) = Surface In BoundingBox{xa - e, lf/2 - e, tc - e, xb + e, lf/2 + e, z2 + e};
  under() = Surface In BoundingBox{xa - e, -lf/2 - e, tc - e, xb + e, lf/2 + e, tc + e};
  under() -= {i1(), i2()};
  If (#under() > 0)  // the overhang beside the channel (none when lf == wc)
    Physical Surface(Sprintf("fm%g_bottom", k)) = under();
  EndIf
EndFor
