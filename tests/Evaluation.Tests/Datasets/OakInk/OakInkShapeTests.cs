using MsMano.Evaluation.Benchmark;
using MsMano.Evaluation.Datasets.OakInk;
using MsMano.Evaluation.Datasets.PoseFiles;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.ModelFormats.Pickle;
using MsMano.TestSupport;

namespace MsMano.Evaluation.Tests.Datasets.OakInk;

/// <summary>
/// OakInk's anno/general_info: a plain pickle of torch tensors. The fixtures were written by make_general_info.py
/// (beside this file: stand-in torch modules, the legacy torch.save layout, made-up values) with pickle protocols 2 and 4.
/// </summary>
public sealed class OakInkShapeTests
{
    private const string Protocol2 = "gAJ9cQAoWAkAAABoYW5kX2Fubm9xAX1xAihYCQAAAGhhbmRfcG9zZXEDY3RvcmNoLl91dGlscwpfcmVidWlsZF90ZW5zb3JfdjIKcQQoY3RvcmNoLnN0b3JhZ2UKX2xvYWRfZnJvbV9ieXRlcwpxBWNfY29kZWNzCmVuY29kZQpxBlhjAgAAwoACwooKbMO8wpxGw7kgasKoUBkuwoACTcOpAy7CgAJ9cQAoWBAAAABwcm90b2NvbF92ZXJzaW9ucQFNw6kDWA0AAABsaXR0bGVfZW5kaWFucQLCiFgKAAAAdHlwZV9zaXplc3EDfXEEKFgFAAAAc2hvcnRxBUsCWAMAAABpbnRxBksEWAQAAABsb25ncQdLBHV1LsKAAihYBwAAAHN0b3JhZ2VxAGN0b3JjaApGbG9hdFN0b3JhZ2UKcQFYDgAAADk0MzcxNjE1Mjg1MjgwcQJYAwAAAGNwdXEDS0BOdHEEUS7CgAJdcQBYDgAAADk0MzcxNjE1Mjg1MjgwcQFhLkAAAAAAAAAAAAAAAMONw4zDjD3DjcOMTD7CmsKZwpk+w43DjMOMPgAAAD/CmsKZGT8zMzM/w43DjEw/ZmZmPwAAwoA/w43DjMKMP8KawpnCmT9mZsKmPzMzwrM/AADDgD/DjcOMw4w/wprCmcOZP2Zmw6Y/MzPDsz8AAABAZmYGQMONw4wMQDMzE0DCmsKZGUAAACBAZmYmQMONw4wsQDMzM0DCmsKZOUAAAEBAZmZGQMONw4xMQDMzU0DCmsKZWUAAAGBAZmZmQMONw4xsQDMzc0DCmsKZeUAAAMKAQDMzwoNAZmbChkDCmsKZwolAw43DjMKMQAAAwpBAMzPCk0BmZsKWQMKawpnCmUDDjcOMwpxAAADCoEAzM8KjQGZmwqZAwprCmcKpQMONw4zCrEAAAMKwQDMzwrNAZmbCtkDCmsKZwrlAw43DjMK8QAAAw4BAMzPDg0BmZsOGQMKawpnDiUBxB1gGAAAAbGF0aW4xcQiGcQlScQqFcQtScQxLAEtAhXENSwGFcQ6JY2NvbGxlY3Rpb25zCk9yZGVyZWREaWN0CnEPKVJxEHRxEVJxElgKAAAAaGFuZF9zaGFwZXETaAQoaAVoBlg6AQAAwoACwooKbMO8wpxGw7kgasKoUBkuwoACTcOpAy7CgAJ9cQAoWBAAAABwcm90b2NvbF92ZXJzaW9ucQFNw6kDWA0AAABsaXR0bGVfZW5kaWFucQLCiFgKAAAAdHlwZV9zaXplc3EDfXEEKFgFAAAAc2hvcnRxBUsCWAMAAABpbnRxBksEWAQAAABsb25ncQdLBHV1LsKAAihYBwAAAHN0b3JhZ2VxAGN0b3JjaApGbG9hdFN0b3JhZ2UKcQFYDgAAADk0MzcxNjE1Mjg1MjgwcQJYAwAAAGNwdXEDSwtOdHEEUS7CgAJdcQBYDgAAADk0MzcxNjE1Mjg1MjgwcQFhLgsAAAAAAAAAAAAQQQAAAD8AAMKgwr8AAEA/AAAAAAAAAEAAAADCvwAAAD4AAMOAPwAAAMOAAADCgD5xFGgIhnEVUnEWhXEXUnEYSwFLCoVxGUsBhXEaiWgPKVJxG3RxHFJxHVgIAAAAaGFuZF90c2xxHmgEKGgFaAZYFwEAAMKAAsKKCmzDvMKcRsO5IGrCqFAZLsKAAk3DqQMuwoACfXEAKFgQAAAAcHJvdG9jb2xfdmVyc2lvbnEBTcOpA1gNAAAAbGl0dGxlX2VuZGlhbnECwohYCgAAAHR5cGVfc2l6ZXNxA31xBChYBQAAAHNob3J0cQVLAlgDAAAAaW50cQZLBFgEAAAAbG9uZ3EHSwR1dS7CgAIoWAcAAABzdG9yYWdlcQBjdG9yY2gKRmxvYXRTdG9yYWdlCnEBWA4AAAA5NDM3MTYxNTI4NTI4MHECWAMAAABjcHVxA0sDTnRxBFEuwoACXXEAWA4AAAA5NDM3MTYxNTI4NTI4MHEBYS4DAAAAAAAAAArDlyM8CsOXwqM8AAAAP3EfaAiGcSBScSGFcSJScSNLAEsDhXEkSwGFcSWJaA8pUnEmdHEnUnEodVgIAAAAY2FtX2V4dHJxKWgEKGgFaAZYTAEAAMKAAsKKCmzDvMKcRsO5IGrCqFAZLsKAAk3DqQMuwoACfXEAKFgQAAAAcHJvdG9jb2xfdmVyc2lvbnEBTcOpA1gNAAAAbGl0dGxlX2VuZGlhbnECwohYCgAAAHR5cGVfc2l6ZXNxA31xBChYBQAAAHNob3J0cQVLAlgDAAAAaW50cQZLBFgEAAAAbG9uZ3EHSwR1dS7CgAIoWAcAAABzdG9yYWdlcQBjdG9yY2gKRmxvYXRTdG9yYWdlCnEBWA4AAAA5NDM3MTYxNTI4NTI4MHECWAMAAABjcHVxA0sQTnRxBFEuwoACXXEAWA4AAAA5NDM3MTYxNTI4NTI4MHEBYS4QAAAAAAAAAAAAwoA/AAAAAAAAAAAAAAAAAAAAAAAAwoA/AAAAAAAAAAAAAAAAAAAAAAAAwoA/AAAAAAAAAAAAAAAAAAAAAAAAwoA/cSpoCIZxK1JxLIVxLVJxLksASwRLBIZxL0sESwGGcTCJaA8pUnExdHEyUnEzWAgAAABjYW1faW50cnE0aAQoaAVoBlguAQAAwoACwooKbMO8wpxGw7kgasKoUBkuwoACTcOpAy7CgAJ9cQAoWBAAAABwcm90b2NvbF92ZXJzaW9ucQFNw6kDWA0AAABsaXR0bGVfZW5kaWFucQLCiFgKAAAAdHlwZV9zaXplc3EDfXEEKFgFAAAAc2hvcnRxBUsCWAMAAABpbnRxBksEWAQAAABsb25ncQdLBHV1LsKAAihYBwAAAHN0b3JhZ2VxAGN0b3JjaApGbG9hdFN0b3JhZ2UKcQFYDgAAADk0MzcxNjE1Mjg1MjgwcQJYAwAAAGNwdXEDSwlOdHEEUS7CgAJdcQBYDgAAADk0MzcxNjE1Mjg1MjgwcQFhLgkAAAAAAAAAAAAWRAAAAAAAAMOUQwAAAAAAABZEAABwQwAAAAAAAAAAAADCgD9xNWgIhnE2UnE3hXE4UnE5SwBLA0sDhnE6SwFLA4ZxO4loDylScTx0cT1ScT51Lg==";
    private const string Protocol4 = "gASV7AcAAAAAAAB9lCiMCWhhbmRfYW5ub5R9lCiMCWhhbmRfcG9zZZSMDHRvcmNoLl91dGlsc5SMEl9yZWJ1aWxkX3RlbnNvcl92MpSTlCiMDXRvcmNoLnN0b3JhZ2WUjBBfbG9hZF9mcm9tX2J5dGVzlJOUQvsBAACAAooKbPycRvkgaqhQGS6AAk3pAy6AAn1xAChYEAAAAHByb3RvY29sX3ZlcnNpb25xAU3pA1gNAAAAbGl0dGxlX2VuZGlhbnECiFgKAAAAdHlwZV9zaXplc3EDfXEEKFgFAAAAc2hvcnRxBUsCWAMAAABpbnRxBksEWAQAAABsb25ncQdLBHV1LoACKFgHAAAAc3RvcmFnZXEAY3RvcmNoCkZsb2F0U3RvcmFnZQpxAVgOAAAAOTQzNzE2MTUyODUyODBxAlgDAAAAY3B1cQNLQE50cQRRLoACXXEAWA4AAAA5NDM3MTYxNTI4NTI4MHEBYS5AAAAAAAAAAAAAAADNzMw9zcxMPpqZmT7NzMw+AAAAP5qZGT8zMzM/zcxMP2ZmZj8AAIA/zcyMP5qZmT9mZqY/MzOzPwAAwD/NzMw/mpnZP2Zm5j8zM/M/AAAAQGZmBkDNzAxAMzMTQJqZGUAAACBAZmYmQM3MLEAzMzNAmpk5QAAAQEBmZkZAzcxMQDMzU0CamVlAAABgQGZmZkDNzGxAMzNzQJqZeUAAAIBAMzODQGZmhkCamYlAzcyMQAAAkEAzM5NAZmaWQJqZmUDNzJxAAACgQDMzo0BmZqZAmpmpQM3MrEAAALBAMzOzQGZmtkCamblAzcy8QAAAwEAzM8NAZmbGQJqZyUCUhZRSlEsAS0CFlEsBhZSJjAtjb2xsZWN0aW9uc5SMC09yZGVyZWREaWN0lJOUKVKUdJRSlIwKaGFuZF9zaGFwZZRoBihoCUInAQAAgAKKCmz8nEb5IGqoUBkugAJN6QMugAJ9cQAoWBAAAABwcm90b2NvbF92ZXJzaW9ucQFN6QNYDQAAAGxpdHRsZV9lbmRpYW5xAohYCgAAAHR5cGVfc2l6ZXNxA31xBChYBQAAAHNob3J0cQVLAlgDAAAAaW50cQZLBFgEAAAAbG9uZ3EHSwR1dS6AAihYBwAAAHN0b3JhZ2VxAGN0b3JjaApGbG9hdFN0b3JhZ2UKcQFYDgAAADk0MzcxNjE1Mjg1MjgwcQJYAwAAAGNwdXEDSwtOdHEEUS6AAl1xAFgOAAAAOTQzNzE2MTUyODUyODBxAWEuCwAAAAAAAAAAABBBAAAAPwAAoL8AAEA/AAAAAAAAAEAAAAC/AAAAPgAAwD8AAADAAACAPpSFlFKUSwFLCoWUSwGFlIloESlSlHSUUpSMCGhhbmRfdHNslGgGKGgJQgcBAACAAooKbPycRvkgaqhQGS6AAk3pAy6AAn1xAChYEAAAAHByb3RvY29sX3ZlcnNpb25xAU3pA1gNAAAAbGl0dGxlX2VuZGlhbnECiFgKAAAAdHlwZV9zaXplc3EDfXEEKFgFAAAAc2hvcnRxBUsCWAMAAABpbnRxBksEWAQAAABsb25ncQdLBHV1LoACKFgHAAAAc3RvcmFnZXEAY3RvcmNoCkZsb2F0U3RvcmFnZQpxAVgOAAAAOTQzNzE2MTUyODUyODBxAlgDAAAAY3B1cQNLA050cQRRLoACXXEAWA4AAAA5NDM3MTYxNTI4NTI4MHEBYS4DAAAAAAAAAArXIzwK16M8AAAAP5SFlFKUSwBLA4WUSwGFlIloESlSlHSUUpR1jAhjYW1fZXh0cpRoBihoCUI7AQAAgAKKCmz8nEb5IGqoUBkugAJN6QMugAJ9cQAoWBAAAABwcm90b2NvbF92ZXJzaW9ucQFN6QNYDQAAAGxpdHRsZV9lbmRpYW5xAohYCgAAAHR5cGVfc2l6ZXNxA31xBChYBQAAAHNob3J0cQVLAlgDAAAAaW50cQZLBFgEAAAAbG9uZ3EHSwR1dS6AAihYBwAAAHN0b3JhZ2VxAGN0b3JjaApGbG9hdFN0b3JhZ2UKcQFYDgAAADk0MzcxNjE1Mjg1MjgwcQJYAwAAAGNwdXEDSxBOdHEEUS6AAl1xAFgOAAAAOTQzNzE2MTUyODUyODBxAWEuEAAAAAAAAAAAAIA/AAAAAAAAAAAAAAAAAAAAAAAAgD8AAAAAAAAAAAAAAAAAAAAAAACAPwAAAAAAAAAAAAAAAAAAAAAAAIA/lIWUUpRLAEsESwSGlEsESwGGlIloESlSlHSUUpSMCGNhbV9pbnRylGgGKGgJQh8BAACAAooKbPycRvkgaqhQGS6AAk3pAy6AAn1xAChYEAAAAHByb3RvY29sX3ZlcnNpb25xAU3pA1gNAAAAbGl0dGxlX2VuZGlhbnECiFgKAAAAdHlwZV9zaXplc3EDfXEEKFgFAAAAc2hvcnRxBUsCWAMAAABpbnRxBksEWAQAAABsb25ncQdLBHV1LoACKFgHAAAAc3RvcmFnZXEAY3RvcmNoCkZsb2F0U3RvcmFnZQpxAVgOAAAAOTQzNzE2MTUyODUyODBxAlgDAAAAY3B1cQNLCU50cQRRLoACXXEAWA4AAAA5NDM3MTYxNTI4NTI4MHEBYS4JAAAAAAAAAAAAFkQAAAAAAADUQwAAAAAAABZEAABwQwAAAAAAAAAAAACAP5SFlFKUSwBLA0sDhpRLAUsDhpSJaBEpUpR0lFKUdS4=";

    private static readonly float[] Shape = [0.5f, -1.25f, 0.75f, 0.0f, 2.0f, -0.5f, 0.125f, 1.5f, -2.0f, 0.25f];

    [Theory]
    [InlineData(Protocol2)]
    [InlineData(Protocol4)]
    public void Hand_shape_is_read_from_the_torch_tensors_of_general_info(string base64)
    {
        using var dir = new TempDir();
        string path = dir.File("general_info", "A01001_0001_0000__2021-09-26-19-59-58__0__90__1.pkl");
        File.WriteAllBytes(path, Convert.FromBase64String(base64));
        Assert.Equal(Shape, OakInkShapes.ReadHandShape(path));

        // Views: an offset into a larger storage and a transposed (strided) matrix come out in C order.
        var info = (Dictionary<object, object?>)TorchPickle.Read(path)!;
        var intr = (NdArray)info["cam_intr"]!;
        Assert.Equal(new[] { 3, 3 }, intr.Shape);
        Assert.Equal(new float[] { 600, 0, 0, 0, 600, 0, 424, 240, 1 }, intr.ToFloatArray());
        Assert.Equal(new[] { 4, 4 }, ((NdArray)info["cam_extr"]!).Shape);
    }

    [Fact]
    public void A_damaged_file_names_the_file_and_the_field()
    {
        using var dir = new TempDir();
        string path = dir.File("general_info", "x.pkl");
        byte[] bytes = Convert.FromBase64String(Protocol4);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        DataFormatException e = Assert.Throws<DataFormatException>(() => OakInkShapes.ReadHandShape(path));
        Assert.Contains("x.pkl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OakInk_ground_truth_gets_each_subjects_beta_and_a_video_without_general_info_keeps_the_shipped_hand()
    {
        using var dir = new TempDir();
        const string withInfo = "oakink/A01001_0001_0000/2021-09-26-19-59-58/view1/sbj0@90";
        const string without = "oakink/A01001_0001_0001/2021-09-27-10-00-00/view0/sbj0";
        Directory.CreateDirectory(dir.File("anno", "hand_j"));
        Directory.CreateDirectory(dir.File("anno", "general_info"));
        File.WriteAllBytes(OakInkShapes.PathFor(dir.File("anno"), withInfo)!, Convert.FromBase64String(Protocol2));
        static BenchmarkSequence Sequence(string name) =>
            new(name, new PoseSequence(name, new float[2 * 48], 30), new PoseSequence(name, new float[2 * 48], 30));
        var data = new BenchmarkData("OakInk", false, [Sequence(without)], [Sequence(withInfo)], []);

        BenchmarkData attached = OakInkSubjects.Attach(data, dir.Path);

        Assert.Equal(Shape, attached.Test[0].GroundTruth.Betas);
        Assert.Equal(Shape, attached.Test[0].Predicted.Betas);
        Assert.Null(attached.Train[0].Predicted.Betas);
        Assert.Contains(attached.Notes, n => n.Contains("for 1 video(s); 1 without a general_info file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_motion_name_finds_its_general_info_file()
    {
        Assert.Equal(Path.Combine("anno", "general_info", "A01001_0001_0000__2021-09-26-19-59-58__1__17__2.pkl"),
            OakInkShapes.PathFor("anno", "oakink/A01001_0001_0000/2021-09-26-19-59-58/view2/sbj1@17"));
        Assert.Equal(Path.Combine("anno", "general_info", "A01001_0001_0000__2021-09-26-19-59-58__0__0__0.pkl"),
            OakInkShapes.PathFor("anno", "oakink/A01001_0001_0000/2021-09-26-19-59-58/view0/sbj0"));
        Assert.Null(OakInkShapes.PathFor("anno", "dexycb/20200820-subject-03/20200903_101911/836212060125"));
    }
}
